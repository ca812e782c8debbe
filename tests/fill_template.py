#!/usr/bin/env python3
"""Fills a shiryo yearly template the way a department does, with openpyxl.

    python3 tests/fill_template.py IN.xlsx OUT.xlsx SPEC.json

A department knows neither ids nor cell positions: it finds its rows by the
name printed in the label column (項目 by default, `label_header` names
another; `item` is the start of the printed name and must match one row,
`measure` the text of the column right of it where that is a column of its
own) and the columns by their headers, on the sheet `sheet` (default 調査票).
SPEC is JSON:

    {
      "headers": {"value": "R７", "note": "R７\\n速報値",
                  "actions": "令和７年度の取組状況", "outlook": "令和８年度に向けた"},
      "rows": [{"item": "ほっとネット推進員登録者数", "measure": null,
                "value": 450, "note": "※速報値", "actions": "…", "outlook": "…"}],
      "tamper": {"identity": [[row, col, "text"]],
                 "names": {"_shiryo_in_1": "'調査票'!$A$1"}}
    }

Header matching: `value` and `note` must equal the header cell, `actions` and
`outlook` must start it. A row's `value` is written as given (a number, or a
string such as "20.60" or "450人"). `tamper` edits the hidden identity sheet
(1-based row and column) and defined names, for the refusal tests.
"""

import json
import sys

import openpyxl


def printed(text):
    """A cell's text as a reader takes it in: without the line breaks and
    the padding spaces a workbook with shiryo's line breaks prints."""
    return text.replace("\n", "").replace(" ", "") if isinstance(text, str) else text


def merged_top_left(ws, row, col):
    """The top-left cell of the merged range holding (row, col), else the cell."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col)
    return ws.cell(row, col)


def find_header(ws, label):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return cell.row, cell.column
    sys.exit(f"no {label} header in the sheet")


def header_columns(ws, header_row, headers):
    cols = {}
    for cell in ws[header_row]:
        text = cell.value if isinstance(cell.value, str) else None
        if text is None:
            continue
        for key, want in headers.items():
            exact = key in ("value", "note")
            if (exact and text == want) or (not exact and text.startswith(want)):
                cols[key] = cell.column
    missing = set(headers) - set(cols)
    if missing:
        sys.exit(f"headers not found: {sorted(missing)}")
    return cols


def main():
    src, dst, spec_path = sys.argv[1:4]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    wb = openpyxl.load_workbook(src)
    ws = wb[spec.get("sheet", "調査票")]
    header_row, item_col = find_header(ws, spec.get("label_header", "項目"))
    cols = header_columns(ws, header_row, spec.get("headers", {}))
    rows = {}
    for r in range(header_row + 1, ws.max_row + 1):
        name = merged_top_left(ws, r, item_col).value
        measure = ws.cell(r, item_col + 1).value
        if name is None:
            continue
        measure_cell = merged_top_left(ws, r, item_col + 1)
        # A plain indicator's name spans both 項目 columns.
        if measure_cell.coordinate == merged_top_left(ws, r, item_col).coordinate:
            measure = None
        rows[(printed(name), printed(measure))] = r
    for want in spec.get("rows", []):
        found = [r for (name, measure), r in rows.items()
                 if name.startswith(printed(want["item"])) and measure == printed(want.get("measure"))]
        if len(found) != 1:
            sys.exit(f"{len(found)} rows match {want['item']!r}; rows: {sorted(rows, key=str)}")
        r = found[0]
        for field in cols:
            if field in want:
                merged_top_left(ws, r, cols[field]).value = want[field]
    tamper = spec.get("tamper", {})
    if tamper.get("identity"):
        ids = wb["_shiryo"]
        for row, col, text in tamper["identity"]:
            ids.cell(row, col).value = text
    for name, ref in tamper.get("names", {}).items():
        wb.defined_names[name].attr_text = ref
    wb.save(dst)


if __name__ == "__main__":
    main()
