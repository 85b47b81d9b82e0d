"""Open an uploaded .docx safely and read its tables, in reading order, as rows of plain text."""

import io
import re
import zipfile
from dataclasses import dataclass, field

import docx
from django.conf import settings
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from plans.workbook.reader import OLE_MAGIC, ZIP_MAGIC

# A .docx is a zip: refuse one that would unpack to far more than any real plan (a zip bomb).
UNPACK_RATIO = 20
# "• one • two" typed into one paragraph: split before each bullet that follows a space.
INLINE_BULLET = re.compile(r"\s+(?=[•◦○▪‣]\s)")


class DocumentError(ValueError):
    """The upload is not a .docx SIP Portal can open; the message says what to do."""


@dataclass
class Grid:
    """One Word table (or several, split by page breaks) as rows of cell texts."""

    label: str  # "Table 3", or "Table 3.1" for the first table inside table 3
    rows: list = field(default_factory=list)  # list of list of str, one per cell (merged cells repeat)
    spanning: list = field(default_factory=list)  # per row: one cell runs across the whole table
    continues_at: list = field(default_factory=list)  # row indexes where a continuation table starts
    nested: list = field(default_factory=list)  # Grids inside this table's cells
    header_key: tuple = ()  # the normalised first row, to recognise a repeated header

    @property
    def width(self):
        return max((len(row) for row in self.rows), default=0)


@dataclass
class WordDocument:
    title: str  # the document's Title property
    paragraphs: list  # the text of the paragraphs before the first table
    grids: list  # top-level tables, continuation tables already merged


def open_document(content):
    """The python-docx Document for an upload's bytes, or DocumentError."""
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise DocumentError(f"The file is {_megabytes(len(content))}; the limit is {_megabytes(limit)}.")
    if content.startswith(OLE_MAGIC):
        raise DocumentError(
            "The document is password-protected or an old .doc file. Save it as an unprotected "
            ".docx document and upload it again."
        )
    if not content.startswith(ZIP_MAGIC):
        raise DocumentError("The file is not a valid .docx document (it may be corrupt).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limit * UNPACK_RATIO:
            raise DocumentError(f"The document unpacks to {_megabytes(unpacked)}, far more than a plan needs.")
        return docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError, OSError) as error:
        if isinstance(error, DocumentError):
            raise
        raise DocumentError(
            f"The document could not be opened ({error.__class__.__name__}); it may be corrupt. "
            "Save it again from Word and retry."
        ) from None


def _megabytes(size):
    return f"{size / 1_000_000:.1f} MB"


def read_document(content):
    """The document's title, opening paragraphs and tables. Raises DocumentError."""
    document = open_document(content)
    try:
        return _read(document)
    except (ValueError, KeyError, IndexError) as error:  # e.g. a merged cell with nothing to merge into
        raise DocumentError(
            f"Part of the document could not be read ({error.__class__.__name__}); save it again from Word and retry."
        ) from None


def _read(document):
    paragraphs, grids, gap = [], [], True
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                gap = True
                if not grids:
                    paragraphs.append(text)
            continue
        grid = _grid(block, f"Table {len(grids) + 1}")
        previous = grids[-1] if grids else None
        if previous and not gap and grid.header_key and grid.header_key == previous.header_key:
            _continue(previous, grid)  # a table split by a page break, its header repeated
        else:
            grids.append(grid)
        gap = False
    return WordDocument(title=(document.core_properties.title or "").strip(), paragraphs=paragraphs, grids=grids)


def _continue(grid, continuation):
    grid.continues_at.append(len(grid.rows))
    grid.rows.extend(continuation.rows[1:])
    grid.spanning.extend(continuation.spanning[1:])
    grid.nested.extend(continuation.nested)


def _grid(table: Table, label):
    grid = Grid(label)
    for row in table.rows:
        cells = row.cells
        grid.rows.append([cell_text(cell) for cell in cells])
        grid.spanning.append(len(cells) > 1 and all(cell._tc is cells[0]._tc for cell in cells))
        for cell in _distinct(cells):
            for inner in cell.tables:
                grid.nested.append(_grid(inner, f"{label}.{len(grid.nested) + 1}"))
    if grid.rows:
        grid.header_key = tuple(normalise(text) for text in grid.rows[0])
    return grid


def _distinct(cells):
    """Each cell once: a cell merged across columns appears once per column it covers."""
    return list({id(cell._tc): cell for cell in cells}.values())


def cell_text(cell):
    """A cell's text, one line per paragraph or bullet; a table inside the cell adds its cells' lines."""
    lines = []
    for block in cell.iter_inner_content():
        if isinstance(block, Paragraph):
            for line in block.text.split("\n"):
                lines.extend(INLINE_BULLET.split(line.strip()))
        else:
            for row in block.rows:
                lines.extend(cell_text(inner) for inner in _distinct(row.cells))
    return "\n".join(line for line in (line.strip() for line in lines) if line)


def normalise(text):
    """Header text for matching: lower case, straight quotes, '&' as 'and', no punctuation."""
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--")).lower()
    return " ".join(re.sub(r"[^a-z0-9£%]+", " ", text.replace("&", " and ")).split())
