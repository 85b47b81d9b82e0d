from plans.choices import ActionStatus
from plans.forms import ProgressUpdateForm
from plans.periods import FinancialQuarter
from tests.factories import ActionFactory

CURRENT = FinancialQuarter(2021, 2)


def form_for(action, **data):
    payload = {"status": "green", "percent_complete": "", "commentary": "", "period": "2021/22 Q2"}
    payload |= {"version": action.version} | data
    return ProgressUpdateForm(payload, action=action, current_quarter=CURRENT)


def test_commentary_is_required_for_red_and_amber(action):
    action.status = ActionStatus.RED
    for status in ("red", "amber"):
        form = form_for(action, status=status)
        assert not form.is_valid()
        assert "required when the status is" in form.errors["commentary"][0]


def test_commentary_is_required_when_the_status_changes(action):
    action.status = ActionStatus.AMBER
    form = form_for(action, status="green")
    assert not form.is_valid()
    assert "required when the status changes" in form.errors["commentary"][0]


def test_an_unchanged_green_needs_no_commentary(action):
    action.status = ActionStatus.GREEN
    assert form_for(action, status="green", percent_complete="60").is_valid()


def test_complete_means_one_hundred_percent(action):
    form = form_for(action, status="complete", commentary="Done.")
    assert form.is_valid()
    assert form.cleaned_data["percent_complete"] == 100
    form = form_for(action, status="complete", commentary="Done.", percent_complete="80")
    assert not form.is_valid()
    assert "100%" in form.errors["percent_complete"][0]


def test_not_yet_assessed_cannot_be_chosen(action):
    form = form_for(action, status="not_assessed", commentary="x")
    assert not form.is_valid()
    assert "status" in form.errors


def test_percent_must_be_0_to_100(action):
    assert "percent_complete" in form_for(action, percent_complete="101", commentary="x").errors
    assert "percent_complete" in form_for(action, percent_complete="-1", commentary="x").errors


def test_the_quarter_defaults_to_the_current_one_and_offers_recent_ones(action):
    form = ProgressUpdateForm(action=action, current_quarter=CURRENT)
    assert form.initial["period"] == "2021/22 Q2"
    assert [value for value, _ in form.fields["period"].choices] == [
        "2021/22 Q2",
        "2021/22 Q1",
        "2020/21 Q4",
        "2020/21 Q3",
    ]
    valid = form_for(action, commentary="Started.")
    assert valid.is_valid()
    assert valid.cleaned_data["period"] == CURRENT


Q2_26, Q3_26, Q4_26 = FinancialQuarter(2026, 2), FinancialQuarter(2026, 3), FinancialQuarter(2026, 4)
SIGNED = "signed off by Ann Admin on 5 November 2026"


def test_once_the_current_quarter_is_signed_off_updates_default_to_the_next_and_say_why(db):
    action = ActionFactory()
    form = ProgressUpdateForm(action=action, current_quarter=Q3_26, closed_quarters={Q3_26: SIGNED})
    # Issue 11: the default was the quarter before, so a Green update silently went to 2026/27 Q2.
    assert [value for value, _ in form.fields["period"].choices] == ["2026/27 Q4"]
    assert form.initial["period"] == "2026/27 Q4"
    assert form.closed_notice == f"2026/27 Q3 is closed: {SIGNED}. Updates now go to 2026/27 Q4."


def test_a_signed_off_last_quarter_is_explained_and_the_current_one_offered(db):
    action = ActionFactory()
    form = ProgressUpdateForm(action=action, current_quarter=Q3_26, closed_quarters={Q2_26: SIGNED})
    assert [value for value, _ in form.fields["period"].choices] == ["2026/27 Q3"]
    assert form.closed_notice == f"2026/27 Q2 is closed: {SIGNED}. Updates now go to 2026/27 Q3."
    assert ProgressUpdateForm(action=action, current_quarter=Q3_26).closed_notice is None


def test_posting_to_a_closed_quarter_is_refused_with_who_closed_it(db):
    action = ActionFactory()
    data = {"status": "green", "commentary": "On track.", "period": "2026/27 Q3", "version": action.version}
    form = ProgressUpdateForm(data, action=action, current_quarter=Q3_26, closed_quarters={Q3_26: SIGNED})
    assert not form.is_valid()
    assert form.errors["period"] == [
        f"2026/27 Q3 is not open for updates. 2026/27 Q3 is closed: {SIGNED}. Updates now go to 2026/27 Q4."
    ]
