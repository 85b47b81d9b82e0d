"""The plan-year workbook: one XLSX file per plan, a sheet per section.

`schema` says what the sheets and columns are, `cells` reads what people type
into them, `reader` turns an upload into rows and problems, `importer` compares
those rows with the database and writes them, and `writer` produces the
template and exports a plan in the same format.
"""
