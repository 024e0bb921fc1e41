#ifndef POAM_CZLIBINFLATE_SHIM_H
#define POAM_CZLIBINFLATE_SHIM_H

// The system zlib, for inflating ZIP members with bounded input (Import/ZIPContainer.swift).
#include <zlib.h>

#endif
