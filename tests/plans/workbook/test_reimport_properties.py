"""Properties of re-importing a plan's own export, for any plan hypothesis makes.

1. Re-importing the latest export writes nothing: no row, and no history row, is created or changed.
2. Importing an older export (exported, then progress updates, risk reviews and edits made in the app)
   never changes a progress update or a risk review, never resets an action's status or a risk's scores,
   and never changes a field edited in the app unless the admin chose the file's value, nor highlights
   edited in the app (the Highlights sheet, replaced as a whole, is stamped as a whole).
"""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.models import MeasureResult, QualityMeasure
from plans.choices import ActionStatus, MembershipRole
from plans.import_services import plan_import
from plans.models import (
    ActionStep,
    BudgetLine,
    ImprovementAction,
    Plan,
    PlanHighlight,
    PlannedEfficiency,
    ProgressUpdate,
    Service,
)
from plans.periods import FinancialQuarter
from plans.workbook.writer import export_plan
from risks.models import Mitigation, Risk, RiskReview
from risks.services import risk_review
from tests.conftest import member
from tests.factories import (
    ActionFactory,
    ActionStepFactory,
    MeasureFactory,
    MeasureResultFactory,
    PlanFactory,
    RiskFactory,
    ServiceFactory,
    record_progress,
)
from tests.plans.workbook.books import cell_values, edit_workbook

MODELS = [
    Plan,
    ImprovementAction,
    ActionStep,
    ProgressUpdate,
    QualityMeasure,
    MeasureResult,
    BudgetLine,
    PlannedEfficiency,
    Service,
    Risk,
    Mitigation,
    RiskReview,
    PlanHighlight,
]
WITH_HISTORY = [
    Plan,
    ImprovementAction,
    ActionStep,
    PlannedEfficiency,
    Risk,
    Mitigation,
    QualityMeasure,
    BudgetLine,
    PlanHighlight,
]
PROPERTY = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

words = st.text(alphabet="abcdefgh XYZ'", min_size=1, max_size=12).map(str.strip).filter(bool)
actions = st.lists(
    st.fixed_dictionaries(
        {
            "responsible": words,
            "steps": st.lists(words, max_size=2),
            "status": st.sampled_from([ActionStatus.NOT_ASSESSED, ActionStatus.GREEN, ActionStatus.AMBER]),
            "percent": st.none() | st.integers(0, 99),
        }
    ),
    min_size=1,
    max_size=4,
)
scores = st.none() | st.integers(1, 5)
risks = st.lists(st.fixed_dictionaries({"title": words, "likelihood": scores, "impact": scores}), max_size=2)
measures = st.lists(
    st.fixed_dictionaries({"note": words, "results": st.lists(st.integers(0, 100), max_size=2)}), max_size=2
)
budget = st.lists(st.integers(1, 10**6), max_size=2)
highlights = st.lists(words, max_size=3)
plans = st.fixed_dictionaries(
    {"actions": actions, "risks": risks, "measures": measures, "budget": budget, "highlights": highlights}
)


def make_plan(partnership, spec):
    plan = PlanFactory(partnership=partnership)
    for i, action in enumerate(spec["actions"], start=1):
        made = ActionFactory(
            plan=plan,
            reference=f"A{i:02d}",
            responsible=action["responsible"],
            status=action["status"],
            percent_complete=action["percent"],
            order=i,
        )
        for order, text in enumerate(action["steps"], start=1):
            ActionStepFactory(action=made, text=text, order=order)
    for i, risk in enumerate(spec["risks"], start=1):
        RiskFactory(partnership=partnership, plan=plan, reference=f"R{i}", order=i, **risk)
    for i, measure in enumerate(spec["measures"], start=1):
        made = MeasureFactory(plan=plan, title=f"Measure {i}", baseline_note=measure["note"], order=i)
        for year, value in enumerate(measure["results"], start=2019):
            MeasureResultFactory(measure=made, financial_year=year, value=value, value_text=f"{value}%")
    service = ServiceFactory(partnership=partnership, name="Children and Families")
    for i, amount in enumerate(spec["budget"], start=1):
        BudgetLine.objects.create(plan=plan, service=service, financial_year=2020 + i, amount=Decimal(amount), order=i)
    for i, text in enumerate(spec["highlights"], start=1):
        PlanHighlight.objects.create(plan=plan, section="Key facts", text=text, order=i)
    return plan


def snapshot():
    """Every row of every model the workbook touches, and every history row, as plain data."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    for model in WITH_HISTORY:
        rows[f"history of {model.__name__}"] = list(model.history.order_by("pk").values())
    return rows


def history_state(plan):
    """The history an import must never change: updates, reviews, and the statuses and scores they set."""
    return {
        "updates": list(ProgressUpdate.objects.order_by("pk").values()),
        "reviews": list(RiskReview.objects.order_by("pk").values()),
        "actions": list(plan.actions.order_by("pk").values("status", "percent_complete")),
        "risks": list(
            plan.risks.order_by("pk").values("likelihood", "impact", "target_likelihood", "target_impact", "status")
        ),
    }


@pytest.fixture
def manager(partnership):
    return member(partnership, MembershipRole.MANAGER, "property-manager")


@PROPERTY
@given(spec=plans)
def test_reimporting_the_latest_export_writes_nothing(partnership, superuser, spec):
    with transaction.atomic():
        plan = make_plan(partnership, spec)
        content = export_plan(plan)
        before = snapshot()
        result = plan_import(content=content, filename="plan.xlsx", user=superuser, dry_run=False)
        assert result.problems == [] and result.written
        assert snapshot() == before
        assert [change for change in result.changes if change.listed] == []
        transaction.set_rollback(True)


newer_work = st.fixed_dictionaries(
    {
        "updates": st.lists(
            st.tuples(st.integers(0, 3), st.sampled_from([ActionStatus.GREEN, ActionStatus.RED]), st.integers(1, 4)),
            max_size=3,
        ),
        "reviews": st.lists(st.tuples(st.integers(0, 1), st.integers(1, 5), st.integers(1, 5)), max_size=2),
        "edits": st.lists(st.tuples(st.integers(0, 3), words), max_size=2),
        "file_edits": st.lists(st.tuples(st.integers(0, 3), words), max_size=2),
        "highlight_edits": st.lists(st.tuples(st.integers(0, 2), words), max_size=2),
        "file_highlight_edit": st.none() | words,
    }
)


def do_newer_work(plan, user, work):
    """Progress updates, risk reviews and field edits made in the app after the export. Returns the edits."""
    actions = list(plan.actions.order_by("order"))
    for index, status, quarter in work["updates"]:
        record_progress(actions[index % len(actions)], user, status, FinancialQuarter(2021, quarter), percent=50)
    risks = list(plan.risks.order_by("order"))
    for index, likelihood, impact in work["reviews"]:
        if risks:
            risk_review(
                risk=risks[index % len(risks)], reviewer=user, note="Reviewed.", likelihood=likelihood, impact=impact
            )
    edited = {}
    for index, text in work["edits"]:
        action = actions[index % len(actions)]
        ImprovementAction.objects.filter(pk=action.pk).update(description=f"app: {text}")
        edited[action.reference] = f"app: {text}"
    highlights = list(plan.highlights.order_by("order"))
    for index, text in work["highlight_edits"]:
        if highlights:
            PlanHighlight.objects.filter(pk=highlights[index % len(highlights)].pk).update(text=f"app: {text}")
    return edited


def highlight_texts(plan):
    return list(plan.highlights.order_by("order").values_list("text", flat=True))


def edit_file(content, work):
    edits = {}
    for index, text in work["file_edits"]:
        edits.setdefault(f"A{index + 1:02d}", {})["Lead-in"] = f"file: {text}"
        edits[f"A{index + 1:02d}"]["Responsible"] = f"file: {text}"
    content = edit_workbook(content, "Actions", edits=edits)
    if work["file_highlight_edit"]:
        first = next(iter(row["Text"] for row in cell_values(content, "Highlights")), None)
        edit = {first: {"Text": f"file: {work['file_highlight_edit']}"}}
        content = edit_workbook(content, "Highlights", key="Text", edits=edit)
    return content


@PROPERTY
@given(spec=plans, work=newer_work)
def test_an_older_export_never_changes_history_or_newer_edits(partnership, superuser, manager, spec, work):
    with transaction.atomic():
        plan = make_plan(partnership, spec)
        old_file = edit_file(export_plan(plan), work)
        exported_highlights = highlight_texts(plan)
        edited = do_newer_work(plan, manager, work)
        app_highlights = highlight_texts(plan)
        before = history_state(plan)
        result = plan_import(content=old_file, filename="plan.xlsx", user=superuser, dry_run=False)
        assert result.problems == [] and result.written
        assert history_state(plan) == before
        for reference, description in edited.items():
            assert plan.actions.get(reference=reference).description == description
        if app_highlights != exported_highlights:
            assert highlight_texts(plan) == app_highlights  # changed in the app since the export: kept
        transaction.set_rollback(True)
