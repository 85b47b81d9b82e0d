"""The actions behind a dashboard's or a report's movement counts ("Worsened 1"), one page each."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from dashboard import selectors
from dashboard.choices import Movement
from dashboard.views import PlanYearMixin, QuarterMixin, ReportMixin
from plans import selectors as plan_selectors
from plans.periods import financial_year_label
from plans.permissions import readable_partnerships


def movement_or_404(key):
    try:
        return Movement(key)
    except ValueError:
        raise Http404("No such movement") from None


class PlanMovementView(QuarterMixin, TemplateView):
    """The actions behind one movement count on the plan's dashboard, e.g. "Worsened 1"."""

    template_name = "dashboard/movement.html"

    def get_context_data(self, **kwargs):
        plan = get_object_or_404(plan_selectors.readable_plans(user=self.request.user), slug=kwargs["slug"])
        movement = movement_or_404(kwargs["movement"])
        quarter, _ = self.chosen_quarter(type(plan).objects.filter(pk=plan.pk))
        summary = selectors.action_summary(actions=plan.actions.in_force(), quarter=quarter)
        return super().get_context_data(
            plan=plan,
            partnership=plan.partnership,
            movement=movement,
            quarter=quarter,
            rows=selectors.moved_actions(summary["positions"].values(), movement),
            back_url=reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug}) + f"?quarter={quarter}",
            back_label=f"the {quarter} dashboard",
            nav="partnerships",
            title=f"{plan.title}: {movement.label} since {quarter.previous()}",
        )


class PartnershipMovementView(PlanYearMixin, TemplateView):
    """The actions behind a movement count on the partnership's dashboard, in its chosen plan year and quarter."""

    template_name = "dashboard/movement.html"

    def get_context_data(self, **kwargs):
        partnership = get_object_or_404(readable_partnerships(self.request.user), slug=kwargs["slug"])
        movement = movement_or_404(kwargs["movement"])
        year, plans, quarter, _ = self.chosen_year_and_quarter(partnership.plans.all())
        summary = selectors.plans_action_summary(plans=plans, quarter=quarter)
        back_url = reverse("dashboard:partnership_dashboard", kwargs={"slug": partnership.slug})
        return super().get_context_data(
            partnership=partnership,
            movement=movement,
            quarter=quarter,
            rows=selectors.moved_actions(summary["positions"].values(), movement),
            back_url=f"{back_url}?{urlencode({'year': year, 'quarter': str(quarter)})}",
            year=financial_year_label(year),
            back_label=f"the {quarter} dashboard",
            nav="partnerships",
            title=f"{partnership.name}: {movement.label} since {quarter.previous()}",
        )


class ReportMovementView(ReportMixin, TemplateView):
    """The actions behind a report's movement count, from the report's own figures (frozen once signed off)."""

    template_name = "dashboard/movement.html"

    def get_context_data(self, **kwargs):
        report = self.get_report()
        movement = movement_or_404(kwargs["movement"])
        positions = selectors.report_content(report=report)["actions"]["positions"]
        return super().get_context_data(
            report=report,
            plan=report.plan,
            partnership=report.plan.partnership,
            movement=movement,
            quarter=report.period,
            rows=selectors.moved_actions(positions, movement),
            back_url=report.get_absolute_url(),
            back_label=f"the {report.period} report",
            nav="partnerships",
            title=f"{report.plan.title}: {movement.label} since {report.period.previous()}",
        )
