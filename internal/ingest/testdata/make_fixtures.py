#!/usr/bin/python3
"""Write the workbooks of testdata/openpyxl and testdata/libreoffice.

Both hold the records of testdata/canonical as a person would type them:
title rows above the header, human headers ("Agreement ID"), mixed-case
values, UK and long-form text dates mixed with real date cells, numbers
written with commas or a pound sign, and a blank row.

    cd internal/ingest/testdata && /usr/bin/python3 make_fixtures.py

needs Debian's python3-openpyxl and libreoffice-calc-nogui (soffice).
openpyxl writes timings.xlsx in the 1904 date system; LibreOffice converts
flat ODS files (written here) with `soffice --headless --convert-to xlsx`.
"""

import datetime
import os
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

D = datetime.date

BOOKS = {
    "agreements": [
        ("Agreements", [
            ["Local PSA pilot: agreements (illustrative data)"],
            ["Exported for the evalsite tests"],
            [],
            ["Agreement ID", "Authority", "Authority Type", "Region", "Tranche", "Started", "Signed",
             "Withdrawn", "Targets", "Pump priming GBP", "Reward Grant GBP"],
            ["LPSA-01", "Kent County Council", "County", "South East", 1, D(2000, 11, 13), D(2001, 3, 1),
             None, 12, 1000000, 5000000.5],
            ["LPSA-02", "Leeds City Council", "Metropolitan", "Yorkshire and the Humber", 1, "20/11/2000",
             None, "14 February 2001", None, None, None],
            [],
            ["LPSA-03", "London Borough of Camden", "London Borough", "London", 2, D(2001, 1, 8), None,
             None, 10, "£750,000", None],
            ["LPSA-04", "Norfolk County Council", "COUNTY", "East of England", 2, "15/01/2001",
             D(2001, 5, 2), None, 11, "1,250,000", 4000000],
        ]),
        ("Freedoms", [
            ["Freedoms and flexibilities requested"],
            ["Request ID", "Agreement ID", "Department", "Request", "Outcome", "Reason", "Decided"],
            ["F1", "LPSA-01", "DfES", "Pool education budgets", "Partly granted", None, "01/02/2001"],
            ["F2", "LPSA-01", "Home Office", "Relax reporting on crime", "Not Granted",
             "Primary legislation", D(2001, 2, 10)],
            ["F3", "LPSA-03", "DH", "Joint commissioning", "DEFERRED", None, None],
            ["F4", "LPSA-04", "DTLR", "Single capital pot", "granted", None, "20 April 2001"],
        ]),
    ],
    "timings": [
        ("Timings log", [
            ["Contacts log"],
            ["Agreement ID", "Date", "Type", "Department", "Hours", "Note"],
            ["LPSA-01", D(2000, 12, 5), "Meeting", "DfES", 2.5, "First negotiation meeting"],
            [None, "24/01/2001", "Workshop", None, 6, "Programme workshop"],
            ["LPSA-02", D(2000, 12, 12), "Correspondence", None, None, None],
            ["LPSA-04", "15 March 2001", "Draft", "DTLR", 1, "Draft agreement, second version"],
            ["LPSA-01", D(2001, 3, 1), "Signing", None, 0.5, None],
        ]),
    ],
    "codings": [
        ("Codings", [
            ["Interview coding, waves 1 and 2"],
            [],
            ["Interview ID", "Wave", "Group", "Organisation", "Code", "Valence", "Excerpt", "Cleared"],
            ["INT-01", 1, "Local authority", "Kent County Council", "targets", "Mixed",
             "Targets were a stretch, but useful.", "Yes"],
            ["INT-01", 1, "Local Authority", "Kent County Council", "freedoms", "negative",
             "We got very little.", "No"],
            ["INT-02", 2, "Department", "DfES", "targets", "Neutral", None, "no"],
            ["INT-03", 1, "Policy centre", None, "capacity", "Negative",
             "We could not run more than six at once.", "YES"],
            ["INT-04", 2, "Government Office", "GO East", "freedoms", "Positive", None, None],
        ]),
        ("Codebook", [
            ["Codebook"],
            ["Code", "Label", "Parent", "Description"],
            ["targets", "Targets", None, "Views on stretch targets"],
            ["freedoms", "Freedoms and flexibilities", None, "Views on freedoms"],
            ["capacity", "Capacity of the policy centre", None, "Workload and staffing"],
        ]),
    ],
}


def write_openpyxl(out):
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    os.makedirs(out, exist_ok=True)
    for book, sheets in BOOKS.items():
        wb = openpyxl.Workbook()
        if book == "timings":
            wb.epoch = CALENDAR_MAC_1904
        wb.remove(wb.active)
        for name, rows in sheets:
            ws = wb.create_sheet(name)
            for r in rows:
                ws.append(r if r else [None])
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, datetime.date):
                        c.number_format = "DD/MM/YYYY"
        wb.save(os.path.join(out, book + ".xlsx"))


def cell_fods(v):
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, datetime.date):
        return ('<table:table-cell table:style-name="date" office:value-type="date" '
                'office:date-value="%s"><text:p>%s</text:p></table:table-cell>'
                % (v.isoformat(), v.strftime("%d/%m/%Y")))
    if isinstance(v, (int, float)):
        return ('<table:table-cell office:value-type="float" office:value="%r"><text:p>%r</text:p>'
                "</table:table-cell>" % (v, v))
    return ('<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
            % escape(v))


FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="ukdate"><number:day number:style="long"/><number:text>/</number:text>
<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
<style:style style:name="date" style:family="table-cell" style:data-style-name="ukdate"/>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""


def write_libreoffice(out):
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for book, sheets in BOOKS.items():
            parts = [FODS_HEAD]
            for name, rows in sheets:
                parts.append('<table:table table:name="%s">' % escape(name))
                for r in rows:
                    parts.append("<table:table-row>%s</table:table-row>"
                                 % "".join(cell_fods(v) for v in (r or [None])))
                parts.append("</table:table>")
            parts.append("</office:spreadsheet></office:body></office:document>\n")
            src = os.path.join(tmp, book + ".fods")
            with open(src, "w", encoding="utf-8") as f:
                f.write("".join(parts))
            subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + tmp + "/profile",
                            "--convert-to", "xlsx", "--outdir", out, src], check=True)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    which = sys.argv[1:] or ["openpyxl", "libreoffice"]
    if "openpyxl" in which:
        write_openpyxl(os.path.join(here, "openpyxl"))
    if "libreoffice" in which:
        write_libreoffice(os.path.join(here, "libreoffice"))
