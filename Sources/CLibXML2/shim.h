#ifndef POAM_CLIBXML2_SHIM_H
#define POAM_CLIBXML2_SHIM_H

// libxml2 built with ICU pulls in the system ICU headers, whose UErrorCode clashes with the
// ICU that Foundation bundles. poam never needs libxml2's ICU support, so switch it off
// before any other libxml2 header is read.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlstring.h>

#endif
