from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from plans import selectors
from plans.filters import ActionFilterSet, BudgetLineFilterSet, ContractFilterSet, EfficiencyFilterSet
from plans.models import BudgetLine, CommissionedService, ImprovementAction, Partnership, Plan, PlannedEfficiency
from plans.tables import ActionTable, BudgetLineTable, ContractTable, EfficiencyTable
from sipportal.views import ObjectListView

# The tabs on every plan page: (section key, label, URL name).
PLAN_SECTIONS = [
    ("overview", "Overview", "plans:plan_detail"),
    ("actions", "Actions", "plans:plan_actions"),
    ("measures", "Measures", "dashboard:plan_measures"),
    ("budget", "Budget", "plans:plan_budget"),
    ("efficiencies", "Efficiencies", "plans:plan_efficiencies"),
    ("risks", "Risks", "risks:plan_risks"),
    ("contracts", "Contracts", "plans:plan_contracts"),
]


class HomeView(ListView):
    template_name = "plans/home.html"
    extra_context = {"title": "Partnerships", "nav": "partnerships"}

    def get_queryset(self):
        return selectors.partnerships_with_counts()


class PartnershipDetailView(DetailView):
    model = Partnership
    template_name = "plans/partnership_detail.html"
    extra_context = {"nav": "partnerships"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=selectors.plans_with_counts(partnership=self.object), **kwargs)


class PlanDetailView(DetailView):
    template_name = "plans/plan_detail.html"
    extra_context = {"nav": "partnerships", "section": "overview", "plan_sections": PLAN_SECTIONS}

    def get_object(self, queryset=None):
        try:
            return selectors.plan_for_page(slug=self.kwargs["slug"])
        except Plan.DoesNotExist:
            raise Http404("No such plan") from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.object, **selectors.plan_overview(plan=self.object), **kwargs)


class PlanSectionView(ObjectListView):
    """One section of a plan (actions, budget, ...) as a filtered, sortable table."""

    template_name = "plans/plan_section.html"
    nav = "partnerships"
    section = ""

    def dispatch(self, request, *args, **kwargs):
        self.plan = get_object_or_404(Plan.objects.select_related("partnership"), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(plan=self.plan)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, section=self.section, plan_sections=PLAN_SECTIONS, **kwargs)


class PlanActionListView(PlanSectionView):
    queryset = selectors.actions_for_list()
    filterset_class = ActionFilterSet
    table_class = ActionTable
    section = "actions"
    title = "Improvement actions"

    def get_table_kwargs(self):
        return {"exclude": ("plan",)}


class PlanBudgetView(PlanSectionView):
    queryset = BudgetLine.objects.select_related("service")
    filterset_class = BudgetLineFilterSet
    table_class = BudgetLineTable
    section = "budget"
    title = "Budget"
    paginate_by = None


class PlanEfficiencyListView(PlanSectionView):
    queryset = PlannedEfficiency.objects.all()
    filterset_class = EfficiencyFilterSet
    table_class = EfficiencyTable
    section = "efficiencies"
    title = "Planned efficiencies"
    paginate_by = None


class PlanContractListView(PlanSectionView):
    queryset = CommissionedService.objects.all()
    filterset_class = ContractFilterSet
    table_class = ContractTable
    section = "contracts"
    title = "Commissioned services"


class ActionListView(ObjectListView):
    queryset = selectors.actions_for_list()
    filterset_class = ActionFilterSet
    table_class = ActionTable
    title = "Improvement actions"
    nav = "actions"


class ActionDetailView(DetailView):
    template_name = "plans/action_detail.html"
    extra_context = {"nav": "actions"}

    def get_object(self, queryset=None):
        try:
            return selectors.action_for_page(pk=self.kwargs["pk"])
        except ImprovementAction.DoesNotExist:
            raise Http404("No such action") from None
