from django.views.generic import DetailView

from plans.views import PlanSectionView, SelectorObjectMixin
from risks import selectors
from risks.filters import RiskFilterSet
from risks.tables import RiskTable


class PlanRiskListView(PlanSectionView):
    filterset_class = RiskFilterSet
    table_class = RiskTable
    section = "risks"
    title = "Risks"
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        return selectors.risks_for_list(user=self.request.user).filter(plan=self.plan)


class RiskDetailView(SelectorObjectMixin, DetailView):
    selector = selectors.risk_for_page
    template_name = "risks/risk_detail.html"
    extra_context = {"nav": "partnerships"}
