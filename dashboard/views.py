from dashboard import selectors
from dashboard.filters import MeasureFilterSet
from dashboard.tables import MeasureTable
from plans.views import PlanSectionView


class PlanMeasureListView(PlanSectionView):
    queryset = selectors.measures_for_list()
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    section = "measures"
    title = "Quality assurance and improvement dashboard"
    paginate_by = None

    def get_table_kwargs(self):
        return {"years": selectors.result_years(plan=self.plan)}
