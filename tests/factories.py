import datetime

import factory
from django.contrib.auth import get_user_model

from plans.choices import MembershipRole, PartnershipKind, PlanKind, PlanStatus
from plans.services import action_update_progress


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("correct horse battery staple")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Partnership"

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    kind = PartnershipKind.HSCP


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Service"

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Service {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Membership"

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = MembershipRole.VIEWER


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Plan"

    partnership = factory.SubFactory(PartnershipFactory)
    kind = PlanKind.SERVICE_IMPROVEMENT_PLAN
    title = factory.Sequence(lambda n: f"Service Improvement Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    start_year = 2021
    end_year = 2021
    status = PlanStatus.PUBLISHED


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ImprovementAction"

    plan = factory.SubFactory(PlanFactory)
    reference = factory.Sequence(lambda n: f"A{n:03d}")
    title = factory.Sequence(lambda n: f"Improve outcome {n}")
    outcome = "Children and families receive the support they need."
    responsible = "Senior Manager (Localities)"
    due_date = datetime.date(2022, 3, 31)
    order = factory.Sequence(int)


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ActionStep"

    action = factory.SubFactory(ActionFactory)
    text = factory.Sequence(lambda n: f"Step {n}")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "risks.Risk"

    partnership = factory.SubFactory(PartnershipFactory)
    plan = factory.LazyAttribute(lambda risk: PlanFactory(partnership=risk.partnership))
    reference = factory.Sequence(lambda n: f"R{n}")
    title = factory.Sequence(lambda n: f"Failure to deliver {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboard.QualityMeasure"

    plan = factory.SubFactory(PlanFactory)
    theme = "process"
    title = factory.Sequence(lambda n: f"Measure {n}")
    unit = "percent"
    direction = "reach_target"
    target_value = 90
    target_text = "90%"


class MeasureResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dashboard.MeasureResult"

    measure = factory.SubFactory(MeasureFactory)
    financial_year = 2020
    value = 75
    value_text = "75%"


def record_progress(action, author, status, period, *, percent=None, commentary="Noted."):
    """A manager's quarterly update through the real service, as the update form would make it."""
    action.refresh_from_db()
    return action_update_progress(
        action=action,
        author=author,
        status=status,
        percent_complete=percent,
        commentary=commentary,
        period=period,
        expected_version=action.version,
    )


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ReportingPeriod"

    partnership = factory.SubFactory(PartnershipFactory)
    period_year = 2021
    period_quarter = 1
    update_deadline = datetime.date(2021, 7, 16)
    board_date = datetime.date(2021, 8, 26)
