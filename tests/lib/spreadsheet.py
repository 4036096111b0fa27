#!/usr/bin/env python3
"""Open a CSV download as a spreadsheet program would, and say what it sees.

    spreadsheet.py FILE

A spreadsheet reads the bytes as UTF-8 only when they start with a byte
order mark (Excel; without it, Windows-1252: "Nicolò" becomes "NicolÃ²"),
then guesses the field separator (LibreOffice offers it, Excel in Italian
uses ';'). This does the same with Python's csv module: the dialect is
sniffed from the text, not told. Prints JSON: the mark, the separator
found, the rows, and for every column whether all its values are numbers
as an Italian spreadsheet reads them (decimal comma) or as an English one
(decimal point).
"""

import csv
import json
import re
import sys


def main():
    raw = open(sys.argv[1], "rb").read()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig" if bom else "cp1252", errors="replace")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,")
    rows = list(csv.reader(text.splitlines(), dialect))
    it_num = re.compile(r"^-?\d+(,\d+)?$")
    en_num = re.compile(r"^-?\d+(\.\d+)?$")
    cols = {}
    for i, name in enumerate(rows[0] if rows else []):
        values = [r[i] for r in rows[1:] if i < len(r) and r[i] != ""]
        cols[name] = {
            "values": len(values),
            "italian_numbers": bool(values) and all(it_num.match(v) for v in values),
            "english_numbers": bool(values) and all(en_num.match(v) for v in values),
            "sample": values[:3],
        }
    print(json.dumps({
        "bom": bom,
        "delimiter": dialect.delimiter,
        "header": rows[0] if rows else [],
        "rows": len(rows) - 1,
        "widths": sorted({len(r) for r in rows}),
        "columns": cols,
        "text": text,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
