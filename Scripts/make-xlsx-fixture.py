#!/usr/bin/env python3
"""Builds Fixtures/xlsx/level2-conditional.xlsx from Fixtures/assessments/level2-conditional.csv.

An independent producer of a real workbook (standard library only), so the XLSX importer is
tested on a file poam did not write: a cover sheet first, then the assessment sheet with two
banner rows before the header, shared strings for the header and requirement IDs, inline
strings for statuses and comments, and an assessment-date cell stored as a date number.
"""
import csv
import os
import zipfile
from xml.sax.saxutils import escape

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = os.path.join(root, "Fixtures", "assessments", "level2-conditional.csv")
target = os.path.join(root, "Fixtures", "xlsx", "level2-conditional.xlsx")

with open(source, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))

shared = []
def sst(text):
    if text not in shared:
        shared.append(text)
    return shared.index(text)

def col(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name

sheet_rows = []
sheet_rows.append('<row r="1"><c r="A1" t="inlineStr"><is><t>ACME Corp CMMC Level 2 self-assessment</t></is></c></row>')
sheet_rows.append('<row r="2"><c r="A2" t="inlineStr"><is><t>Assessed</t></is></c><c r="B2" s="1"><v>46351</v></c></row>')
for n, row in enumerate(rows, start=3):
    cells = []
    for i, value in enumerate(row):
        ref = "%s%d" % (col(i), n)
        if value == "":
            continue
        if n == 3 or i == 0:
            cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sst(value)))
        else:
            cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(value)))
    sheet_rows.append('<row r="%d">%s</row>' % (n, "".join(cells)))

ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook %s %s><sheets><sheet name="Cover" sheetId="1" r:id="rId1"/><sheet name="Assessment" sheetId="2" r:id="rId2"/></sheets></workbook>' % (ns, rel),
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><styleSheet %s><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>' % ns,
    "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>This workbook holds the Level 2 self-assessment on the next sheet.</t></is></c></row></sheetData></worksheet>' % ns,
    "xl/worksheets/sheet2.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, "".join(sheet_rows)),
    "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst %s count="%d" uniqueCount="%d">%s</sst>' % (ns, len(shared), len(shared), "".join("<si><t>%s</t></si>" % escape(s) for s in shared)),
}
os.makedirs(os.path.dirname(target), exist_ok=True)
with zipfile.ZipFile(target + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(parts):
        info = zipfile.ZipInfo(name, date_time=(2026, 11, 25, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, parts[name])
os.replace(target + ".tmp", target)
print("wrote", os.path.relpath(target, root), "with", len(rows) - 1, "data rows")
