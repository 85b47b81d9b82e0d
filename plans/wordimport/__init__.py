"""Import a plan straight from its Word (.docx) document.

`document` opens the file safely and turns its tables into plain rows of text, `layouts`
recognises a table by its header row and maps its columns by meaning, `convert` turns the
recognised rows into a plan-year workbook in the template format (so the upload goes through
the same reader, preview and confirm as an .xlsx), and `sample` writes Word documents: the
downloadable sample of every supported layout, and any plan as a Word document.
"""
