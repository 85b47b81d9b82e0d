import pytest

from dashboard.choices import ReportEventKind, ReportStatus
from dashboard.models import QuarterlyReport
from dashboard.selectors import report_content
from dashboard.services import QuarterSignedOff, report_reopen, report_save, report_sign_off
from plans.choices import ActionStatus
from plans.periods import FinancialQuarter
from plans.services import action_update_progress

Q1 = FinancialQuarter(2021, 1)


def update(action, author, status, period=Q1, commentary="Noted."):
    action.refresh_from_db()
    return action_update_progress(
        action=action,
        author=author,
        status=status,
        percent_complete=None,
        commentary=commentary,
        period=period,
        expected_version=action.version,
    )


@pytest.fixture
def report(plan):
    return QuarterlyReport.objects.create(plan=plan, period_year=2021, period_quarter=1, percent_complete=20)


def test_report_save_replaces_commentaries_and_next_steps(report):
    report_save(
        report=report,
        fields={"overall_status": "amber", "change_requests": "None"},
        commentaries=[{"heading": "Wellbeing", "rag_status": "green", "commentary": "On track."}],
        next_steps=[{"title": "Finalise annual report", "comments": "", "due_text": "Dec 2021", "due_date": None}],
    )
    report.refresh_from_db()
    assert report.overall_status == "amber"
    assert [c.heading for c in report.commentaries.all()] == ["Wellbeing"]
    report_save(report=report, fields={}, commentaries=[], next_steps=[])
    assert report.commentaries.count() == 0
    assert report.next_steps.count() == 0


def test_sign_off_freezes_the_quarter(report, action, owner, partnership_admin):
    update(action, owner, ActionStatus.AMBER, commentary="Behind schedule.")
    report_sign_off(report=report, user=partnership_admin)
    report.refresh_from_db()
    frozen = report_content(report=report)
    assert report.status == ReportStatus.SIGNED_OFF
    assert report.signed_off_by == partnership_admin
    assert frozen["actions"]["exceptions"][0]["commentary"] == "Behind schedule."

    # Later updates go to the next quarter and do not change what the signed-off quarter says.
    update(action, owner, ActionStatus.RED, period=Q1.next(), commentary="Worse.")
    action.title = "Renamed later"
    action.save()
    assert report_content(report=QuarterlyReport.objects.get(pk=report.pk)) == frozen


def test_updates_to_a_signed_off_quarter_are_refused(report, action, owner, partnership_admin):
    report_sign_off(report=report, user=partnership_admin)
    with pytest.raises(QuarterSignedOff):
        update(action, owner, ActionStatus.GREEN)
    assert action.updates.count() == 0
    update(action, owner, ActionStatus.GREEN, period=Q1.next())  # the next quarter is open
    assert action.updates.count() == 1


def test_a_signed_off_report_cannot_be_edited_or_signed_twice(report, partnership_admin):
    report_sign_off(report=report, user=partnership_admin)
    with pytest.raises(QuarterSignedOff):
        report_save(report=report, fields={"overall_status": "red"}, commentaries=[], next_steps=[])
    with pytest.raises(QuarterSignedOff):
        report_sign_off(report=report, user=partnership_admin)


def test_reopening_needs_a_reason_and_is_recorded(report, action, owner, partnership_admin):
    report_sign_off(report=report, user=partnership_admin)
    with pytest.raises(ValueError):
        report_reopen(report=report, user=partnership_admin, note="  ")
    report_reopen(report=report, user=partnership_admin, note="Late figures from Justice Services.")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.snapshot is None
    assert [(e.kind, e.note) for e in report.events.order_by("created_at")] == [
        (ReportEventKind.SIGNED_OFF, ""),
        (ReportEventKind.REOPENED, "Late figures from Justice Services."),
    ]
    update(action, owner, ActionStatus.GREEN)  # the quarter takes updates again
    assert action.updates.count() == 1


def test_report_save_updates_rows_in_place_and_keeps_their_theme_and_history(report):
    theme = report.plan.themes.create(title="Wellbeing", order=1)
    kept = report.commentaries.create(heading="Wellbeing", theme=theme, commentary="Draft.", order=1)
    dropped = report.commentaries.create(heading="Poverty", commentary="Old.", order=2)
    step = report.next_steps.create(title="Annual report", order=1)
    report_save(
        report=report,
        fields={},
        commentaries=[
            {"id": kept.pk, "heading": "Wellbeing", "rag_status": "green", "commentary": "On track."},
            {"heading": "Safety", "rag_status": "", "commentary": "New theme."},
        ],
        next_steps=[
            {"id": step.pk, "title": "Annual report", "comments": "Due soon", "due_text": "", "due_date": None}
        ],
    )
    kept.refresh_from_db()
    assert (kept.pk, kept.theme, kept.commentary, kept.rag_status) == (kept.pk, theme, "On track.", "green")
    assert [c.heading for c in report.commentaries.all()] == ["Wellbeing", "Safety"]
    assert report.next_steps.get().pk == step.pk
    # Each change is in the audit trail: an edit as an edit, a removal as a deletion, nothing recreated.
    assert [h.history_type for h in kept.history.order_by("history_date")] == ["+", "~"]
    assert dropped.history.latest("history_date").history_type == "-"
    assert report.commentaries.get(heading="Safety").history.get().history_type == "+"
