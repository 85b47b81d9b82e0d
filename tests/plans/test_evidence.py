"""Evidence attached to an update: type and size checked, stored through the storage API, members only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import UpdateEvidence

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_update(client, action, evidence):
    data = {"status": "amber", "commentary": "Audit done.", "period": "2021/22 Q1", "version": action.version}
    return client.post(reverse("plans:action_update", kwargs={"pk": action.pk}), data | {"evidence": evidence})


@pytest.fixture
def current_quarter(monkeypatch):
    """The form offers the current quarter and the three before; pin it to 2021/22 Q2."""
    from plans.periods import FinancialQuarter

    monkeypatch.setattr(FinancialQuarter, "current", classmethod(lambda cls: FinancialQuarter(2021, 2)))


def test_a_pdf_is_stored_shown_in_the_timeline_and_downloaded_by_members_only(
    login, owner, viewer, outsider, action, current_quarter
):
    response = post_update(login(owner), action, SimpleUploadedFile("audit report.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    evidence = UpdateEvidence.objects.get()
    assert (evidence.name, evidence.size, evidence.update.action) == ("audit report.pdf", len(PDF), action)
    assert evidence.file.read() == PDF
    assert "audit report.pdf" in login(viewer).get(action.get_absolute_url()).text
    download = login(viewer).get(evidence.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert login(outsider).get(evidence.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "tool.exe",
            b"MZ\x90\x00",
            "Attach a PDF, Word, Excel, PowerPoint or OpenDocument file, or a PNG, JPEG or GIF.",
        ),
        ("report.pdf", b"MZ\x90\x00 renamed program", "The file&#x27;s content is not a .pdf file."),
        ("big.pdf", PDF + b"0" * 2048, "The file is larger than 0 MB."),
    ],
)
def test_a_file_of_the_wrong_type_or_too_large_is_refused(
    login, owner, action, settings, current_quarter, name, content, message
):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = post_update(login(owner), action, SimpleUploadedFile(name, content))
    assert message in response.text
    assert not UpdateEvidence.objects.exists()
    assert not action.updates.exists()
