from django.http import Http404
from django.views.generic import DetailView

from plans.views import PlanSectionView
from risks import selectors
from risks.filters import RiskFilterSet
from risks.models import Risk
from risks.tables import RiskTable


class PlanRiskListView(PlanSectionView):
    queryset = selectors.risks_for_list()
    filterset_class = RiskFilterSet
    table_class = RiskTable
    section = "risks"
    title = "Risks"


class RiskDetailView(DetailView):
    template_name = "risks/risk_detail.html"
    extra_context = {"nav": "partnerships"}

    def get_object(self, queryset=None):
        try:
            return selectors.risk_for_page(pk=self.kwargs["pk"])
        except Risk.DoesNotExist:
            raise Http404("No such risk") from None
