"""Editing an exported plan workbook the way an admin does in Excel, for re-import tests."""

import io

from openpyxl import load_workbook


def edit_workbook(content, sheet, *, edits=None, delete=(), key="Reference", clear_stamps=False):
    """The workbook with cells changed ({row key: {header: value}}), rows deleted (by key) and, if asked,
    its row stamps removed (as in a workbook filled in from the template)."""
    book = load_workbook(io.BytesIO(content))
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    key_index = headers.index(key)
    for row in list(worksheet.iter_rows(min_row=2)):
        row_key = row[key_index].value
        for header, value in (edits or {}).get(row_key, {}).items():
            row[headers.index(header)].value = value
    for row_number in range(worksheet.max_row, 1, -1):
        if worksheet.cell(row=row_number, column=key_index + 1).value in delete:
            worksheet.delete_rows(row_number)
    if clear_stamps:
        for name in book.sheetnames:
            stamp_headers = [cell for cell in book[name][1] if cell.value == "Row stamp"]
            for header in stamp_headers:
                book[name].delete_cols(header.column)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell_values(content, sheet):
    """{header: value} for every data row of a sheet."""
    worksheet = load_workbook(io.BytesIO(content))[sheet]
    headers = [cell.value for cell in worksheet[1]]
    return [dict(zip(headers, row, strict=False)) for row in worksheet.iter_rows(min_row=2, values_only=True)]
