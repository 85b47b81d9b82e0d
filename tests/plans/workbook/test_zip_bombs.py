"""A workbook is a zip; one that would unpack to far more than it holds is refused before any XML is read.

The bombs are built here in code: a real workbook whose Actions sheet XML is padded with a
gigabyte of whitespace, compressed to about a megabyte, as in the security review.
"""

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.urls import reverse

from plans.models import PlanImport, PlanImportStatus
from tests.plans.workbook.test_bad_input import assert_refused, book, run, snapshot

MB = 1024 * 1024
ACTIONS_PART = "xl/worksheets/sheet2.xml"  # book() writes Plan, Actions, Measures in that order


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin(partnership_admin):
    return partnership_admin


@pytest.fixture
def before(admin):
    return snapshot()


def _deflate(data, *, final):
    """Raw deflate blocks for data from a fresh compressor, so blocks can be concatenated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def padded_deflate(xml, padding_bytes):
    """Deflate `xml` with `padding_bytes` of spaces inserted before </sheetData>, without ever holding them.

    Returns (compressed bytes, crc32, unpacked size): a valid part, so only the limits can refuse it.
    """
    head, tail = xml.split(b"</sheetData>")
    tail = b"</sheetData>" + tail
    chunk = b" " * MB
    assert padding_bytes % MB == 0
    crc = zlib.crc32(head)
    for _ in range(padding_bytes // MB):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    compressed = _deflate(head, final=False) + _deflate(chunk, final=False) * (padding_bytes // MB)
    return compressed + _deflate(tail, final=True), crc, len(head) + padding_bytes + len(tail)


def zip_with(content, replacements):
    """`content` (an .xlsx) with some parts replaced by pre-compressed (data, crc, size) triples.

    zipfile cannot write pre-compressed data, so the archive is written by hand (no zip64 needed).
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    out, directory = io.BytesIO(), []
    for info in source.infolist():
        name = info.filename.encode()
        if info.filename in replacements:
            data, crc, size = replacements[info.filename]
        else:
            raw = source.read(info.filename)
            data, crc, size = _deflate(raw, final=True), zlib.crc32(raw), len(raw)
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0))
        out.write(name + data)
        directory.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    out.write(b"".join(directory))
    count = len(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, out.tell() - start, start, 0))
    return out.getvalue()


def bomb(padding_bytes):
    content = book()
    xml = zipfile.ZipFile(io.BytesIO(content)).read(ACTIONS_PART)
    return zip_with(content, {ACTIONS_PART: padded_deflate(xml, padding_bytes)})


def test_the_hand_built_zip_is_a_workbook_that_unpacks_to_its_declared_size(admin):
    """The bomb builder is sound: with a little padding the workbook imports, padding and all."""
    content = bomb(2 * MB)
    part = zipfile.ZipFile(io.BytesIO(content)).getinfo(ACTIONS_PART)
    assert part.file_size > 2 * MB
    assert len(zipfile.ZipFile(io.BytesIO(content)).read(ACTIONS_PART)) == part.file_size  # the CRC checks too


def test_a_workbook_within_the_limits_imports(admin, settings):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 10_000  # let 2 MB of whitespace through
    result = run(bomb(2 * MB), admin)
    assert result.problems == []
    assert result.written


def test_a_gigabyte_zip_bomb_is_refused_without_unpacking_it(admin, before):
    content = bomb(1024 * MB)
    assert len(content) < 2 * MB  # a small upload, well under the 10 MB upload limit
    tracemalloc.start()
    try:
        baseline, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = run(content, admin)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_refused(result, before, ("File", None, "", "The workbook unpacks to 1073.8 MB; the limit is 50.0 MB."))
    assert peak - baseline < 100 * MB, f"{(peak - baseline) / MB:.0f} MB above baseline"


def test_the_unpacked_size_limit_comes_from_the_settings(admin, before, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 10_000
    assert_refused(run(book(), admin), before, ("File", None, "", "the limit is 10 kB."))


def test_a_part_compressed_more_than_100_to_1_is_refused(admin, before):
    content = bomb(8 * MB)  # well under the unpacked limit, but about 1000:1
    part = zipfile.ZipFile(io.BytesIO(content)).getinfo(ACTIONS_PART)
    assert part.file_size > 100 * part.compress_size
    message = f"The workbook part {ACTIONS_PART} is compressed more than 100:1"
    assert_refused(run(content, admin), before, ("File", None, "", message))


def test_a_workbook_with_too_many_parts_is_refused(admin, before, settings):
    settings.IMPORT_MAX_PARTS = 5
    parts = len(zipfile.ZipFile(io.BytesIO(book())).infolist())
    message = f"The workbook has {parts} parts inside it; a plan workbook has far fewer (the limit is 5)."
    assert_refused(run(book(), admin), before, ("File", None, "", message))


def test_a_refused_bomb_is_never_stored_as_importable(login, admin, before):
    upload = io.BytesIO(bomb(1024 * MB))
    upload.name = "east-ayrshire.xlsx"
    client = login(admin)
    client.post(reverse("plans:import_start"), {"file": upload})
    stored = PlanImport.objects.get()
    assert stored.status == PlanImportStatus.HAS_PROBLEMS
    assert "unpacks to 1073.8 MB" in stored.preview["problems"][0]["message"]
    response = client.post(reverse("plans:import_confirm", kwargs={"pk": stored.pk}), follow=True)
    assert "cannot be imported" in response.text
    assert PlanImport.objects.get().status == PlanImportStatus.HAS_PROBLEMS
    assert snapshot() == before
