from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import DetailView, TemplateView

from plans.permissions import can_review_risk, readable_partnerships
from plans.views import PlanSectionView, SelectorObjectMixin
from risks import selectors
from risks.filters import PlanRiskFilterSet, RiskFilterSet
from risks.forms import RiskReviewForm
from risks.services import risk_review
from risks.tables import RiskTable
from sipportal.views import ObjectListView


class PlanRiskListView(PlanSectionView):
    filterset_class = PlanRiskFilterSet
    table_class = RiskTable
    section = "risks"
    title = "Risks"
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        return selectors.risks_for_list(user=self.request.user).filter(plan=self.plan)

    def get_table_kwargs(self):
        return {"exclude": ("plan",)}


class PartnershipMixin:
    def dispatch(self, request, *args, **kwargs):
        self.partnership = get_object_or_404(readable_partnerships(request.user), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)


class RiskRegisterView(PartnershipMixin, ObjectListView):
    """A partnership's risk register across its plans."""

    template_name = "risks/register.html"
    filterset_class = RiskFilterSet
    table_class = RiskTable
    export_formats = ("csv", "xlsx")
    nav = "partnerships"

    def get_queryset(self):
        return selectors.risks_for_list(user=self.request.user).filter(partnership=self.partnership)

    @property
    def title(self):
        return f"Risk register: {self.partnership.name}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)


class HeatMapView(PartnershipMixin, TemplateView):
    template_name = "risks/heat_map.html"

    def get_context_data(self, **kwargs):
        # Counted, so in force only; the filter keeps to the current plans unless a year is chosen.
        risks = selectors.risks_for_list(user=self.request.user).filter(partnership=self.partnership).open().in_force()
        filterset = RiskFilterSet(self.request.GET, queryset=risks, request=self.request)
        return super().get_context_data(
            partnership=self.partnership,
            filter=filterset,
            heat_map=selectors.heat_map(risks=filterset.qs),
            plan_query=self.request.GET.get("plan", ""),
            nav="partnerships",
            title=f"Risk heat map: {self.partnership.name}",
        )


class RiskDetailView(SelectorObjectMixin, DetailView):
    selector = selectors.risk_for_page
    template_name = "risks/risk_detail.html"
    extra_context = {"nav": "partnerships"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_review=can_review_risk(self.request.user, self.object), **kwargs)


class RiskReviewView(View):
    """Record a review of a risk: managers and admins of its partnership."""

    def dispatch(self, request, pk):
        self.risk = get_object_or_404(selectors.risks_for_list(user=request.user), pk=pk)
        if self.risk.plan is not None and self.risk.plan.is_superseded:
            messages.error(request, self.risk.plan.superseded_message())
            return redirect(self.risk)
        if not can_review_risk(request.user, self.risk):
            raise PermissionDenied("You cannot review this risk.")
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return self.render(RiskReviewForm(risk=self.risk))

    def post(self, request, pk):
        form = RiskReviewForm(request.POST, risk=self.risk)
        if not form.is_valid():
            return self.render(form)
        risk_review(risk=self.risk, reviewer=request.user, **form.cleaned_data)
        messages.success(request, f"Review of {self.risk.reference} recorded.")
        return redirect(self.risk)

    def render(self, form):
        context = {"form": form, "risk": self.risk, "title": f"Review {self.risk.reference}", "nav": "partnerships"}
        return render(self.request, "risks/risk_review.html", context)
