"""Each app's roll-over step carries its own rows, in bulk, with their links and history."""

import pytest

from plans.choices import ActionStatus
from plans.models import NationalOutcome
from plans.rollover import steps
from plans.services import plan_rollover
from risks.models import Mitigation
from tests.factories import ActionFactory, MeasureFactory, RiskFactory


def test_every_app_registers_its_step_in_order():
    assert [step.name for step in steps()] == ["actions", "measures", "risks"]


@pytest.mark.django_db
def test_carried_rows_keep_their_links_and_start_their_history(plan, owner, superuser):
    outcome = NationalOutcome.objects.create(number=4, text="Children are safe")
    action = ActionFactory(plan=plan, reference="A02", status=ActionStatus.RED)
    action.national_outcomes.add(outcome)
    action.responsible_users.add(owner)
    risk = RiskFactory(partnership=plan.partnership, plan=plan, reference="R1", likelihood=3, impact=4)
    Mitigation.objects.create(risk=risk, kind="current", text="Weekly huddle", order=1)
    Mitigation.objects.create(risk=risk, kind="planned", text="Recruit", order=2)
    MeasureFactory(plan=plan, title="Reviews on time", target_year=2021)

    new_plan, _ = plan_rollover(plan=plan, user=superuser, dry_run=False)

    copies = {a.reference: a for a in new_plan.actions.all()}
    assert set(copies) == {"A01", "A02"}
    assert list(copies["A02"].national_outcomes.all()) == [outcome]
    assert list(copies["A02"].responsible_users.all()) == [owner]
    assert copies["A02"].history.count() == 1
    (risk_copy,) = new_plan.risks.all()
    assert (risk_copy.likelihood, risk_copy.impact, risk_copy.history.count()) == (3, 4, 1)
    assert [(m.kind, m.text) for m in risk_copy.mitigations.all()] == [
        ("current", "Weekly huddle"),
        ("planned", "Recruit"),
    ]
    measure_copy = new_plan.measures.get()
    assert (measure_copy.title, measure_copy.target_year, measure_copy.baseline_note) == ("Reviews on time", 2022, "")
