from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import DetailView, ListView

from plans import selectors
from plans.choices import MembershipRole
from plans.filters import (
    ActionFilterSet,
    BudgetLineFilterSet,
    ContractFilterSet,
    EfficiencyFilterSet,
    PlanActionFilterSet,
)
from plans.forms import ProgressUpdateForm, QuarterUpdateForms
from plans.models import BudgetLine, CommissionedService, PlannedEfficiency
from plans.periods import QuarterSignedOff, closed_quarters
from plans.permissions import can_manage_partnership, can_update_action, memberships_of
from plans.services import ActionUpdateConflict, action_update_progress, action_update_progress_each
from plans.tables import ActionTable, BudgetLineTable, ContractTable, EfficiencyTable
from sipportal.views import ObjectListView, safe_next_url

# The tabs on every plan page: (section key, label, URL name).
PLAN_SECTIONS = [
    ("overview", "Overview", "plans:plan_detail"),
    ("dashboard", "Dashboard", "dashboard:plan_dashboard"),
    ("actions", "Actions", "plans:plan_actions"),
    ("measures", "Measures", "dashboard:plan_measures"),
    ("budget", "Budget", "plans:plan_budget"),
    ("efficiencies", "Efficiencies", "plans:plan_efficiencies"),
    ("risks", "Risks", "risks:plan_risks"),
    ("contracts", "Contracts", "plans:plan_contracts"),
]


class SelectorObjectMixin:
    """DetailView's object comes from a user-scoped selector; anything out of scope is a 404."""

    selector = None

    def get_object(self, queryset=None):
        try:
            return type(self).selector(user=self.request.user, **self.kwargs)
        except ObjectDoesNotExist:
            raise Http404("Not found") from None


def landing(request):
    """Managers land on their own actions; everyone else on the partnerships."""
    is_manager = any(m.role == MembershipRole.MANAGER for m in memberships_of(request.user).values())
    return redirect("plans:my_actions" if is_manager else "home")


class HomeView(ListView):
    template_name = "plans/home.html"
    extra_context = {"title": "Partnerships", "nav": "partnerships"}

    def get_queryset(self):
        return selectors.partnerships_with_counts(user=self.request.user)


class PartnershipDetailView(SelectorObjectMixin, DetailView):
    selector = selectors.partnership_for_page
    template_name = "plans/partnership_detail.html"
    context_object_name = "partnership"
    extra_context = {"nav": "partnerships"}

    def get_context_data(self, **kwargs):
        can_manage = can_manage_partnership(self.request.user, self.object.pk)
        plans = selectors.plans_with_counts(partnership=self.object)
        return super().get_context_data(plans=plans, can_manage=can_manage, **kwargs)


class PlanDetailView(SelectorObjectMixin, DetailView):
    selector = selectors.plan_for_page
    template_name = "plans/plan_detail.html"
    context_object_name = "plan"
    extra_context = {"nav": "partnerships", "section": "overview", "plan_sections": PLAN_SECTIONS}

    def get_context_data(self, **kwargs):
        can_manage = can_manage_partnership(self.request.user, self.object.partnership_id)
        outcomes = selectors.national_outcomes_for(plan=self.object)
        overview = selectors.plan_overview(plan=self.object) | {"national_outcomes": outcomes}
        return super().get_context_data(**overview, can_manage=can_manage, **kwargs)


class PlanSectionView(ObjectListView):
    """One section of a plan (actions, budget, ...) as a filtered, sortable table."""

    template_name = "plans/plan_section.html"
    nav = "partnerships"
    section = ""

    def dispatch(self, request, *args, **kwargs):
        self.plan = get_object_or_404(selectors.readable_plans(user=request.user), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(plan=self.plan)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, section=self.section, plan_sections=PLAN_SECTIONS, **kwargs)


class ActionTableMixin:
    filterset_class = ActionFilterSet
    table_class = ActionTable
    title = "Improvement actions"
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        return selectors.actions_for_list(user=self.request.user)

    def get_table_kwargs(self):
        return {"user": self.request.user, "request_path": self.request.get_full_path()}

    def get_export_queryset(self):
        return self.object_list.prefetch_related(None).with_latest_update()


class PlanActionListView(ActionTableMixin, PlanSectionView):
    section = "actions"
    filterset_class = PlanActionFilterSet

    def get_queryset(self):
        return super().get_queryset().filter(plan=self.plan)

    def get_table_kwargs(self):
        return super().get_table_kwargs() | {"exclude": ("plan",)}


class ActionListView(ActionTableMixin, ObjectListView):
    template_name = "plans/action_list.html"
    nav = "actions"


class PlanBudgetView(PlanSectionView):
    queryset = BudgetLine.objects.select_related("service")
    filterset_class = BudgetLineFilterSet
    table_class = BudgetLineTable
    section = "budget"
    title = "Budget"
    paginate_by = None

    def get_table_kwargs(self):
        return {"stated_total": self.plan.budget_total_stated}


class PlanEfficiencyListView(PlanSectionView):
    queryset = PlannedEfficiency.objects.all()
    filterset_class = EfficiencyFilterSet
    table_class = EfficiencyTable
    section = "efficiencies"
    title = "Planned efficiencies"
    paginate_by = None

    def get_table_kwargs(self):
        return {"stated_total": self.plan.efficiencies_total_stated}


class PlanContractListView(PlanSectionView):
    queryset = CommissionedService.objects.all()
    filterset_class = ContractFilterSet
    table_class = ContractTable
    section = "contracts"
    title = "Commissioned services"


class ActionDetailView(SelectorObjectMixin, DetailView):
    selector = selectors.action_for_page
    template_name = "plans/action_detail.html"
    extra_context = {"nav": "actions"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_update=can_update_action(self.request.user, self.object), **kwargs)


class ActionUpdateView(View):
    """The quarterly update form: a full page, or a fragment inside the list when htmx asks."""

    def dispatch(self, request, pk):
        self.action = get_object_or_404(selectors.actions_for_list(user=request.user), pk=pk)
        if self.action.plan.is_superseded:
            messages.error(request, self.action.plan.superseded_message())
            return redirect(self.action)
        if not can_update_action(request.user, self.action):
            raise PermissionDenied("You cannot update this action.")
        self.inline = bool(request.headers.get("HX-Request"))
        self.template = "plans/action_update.html" + ("#update-form" if self.inline else "")
        return super().dispatch(request, pk)

    def form(self, *args):
        return ProgressUpdateForm(*args, action=self.action, closed_quarters=closed_quarters(plan=self.action.plan))

    def get(self, request, pk):
        return self.render(self.form())

    def post(self, request, pk):
        form = self.form(request.POST, request.FILES)
        invalid = 422 if self.inline else 200
        if not form.is_valid():
            return self.render(form, status=invalid)
        try:
            update = action_update_progress(action=self.action, author=request.user, **form.update_fields())
        except ActionUpdateConflict as conflict:
            self.action.refresh_from_db()
            return self.render(self.form(), conflict=conflict.latest_update, status=409)
        except QuarterSignedOff as closed:
            form.add_error("period", str(closed))
            return self.render(form, status=invalid)
        # Read again through the list's selector, so the row's "Updated this quarter" is current.
        self.action = selectors.actions_for_list(user=request.user).get(pk=pk)
        if self.inline:
            return render(request, "plans/action_update.html#update-saved", {"action": self.action, "update": update})
        done = "submitted for approval as" if update.approval == "submitted" else "updated to"
        messages.success(request, f"{self.action.reference} {done} {update.get_status_display()}.")
        return redirect(safe_next_url(request) or self.action.get_absolute_url())

    def render(self, form, conflict=None, status=200):
        context = {"form": form, "action": self.action, "conflict": conflict, "in_dialog": self.inline}
        context["last_update"] = selectors.last_update(action=self.action)
        context |= {"next": safe_next_url(self.request), "title": f"Update {self.action.reference}"}
        return render(self.request, self.template, context, status=status)


class QuarterUpdateView(View):
    """Every action the user still has to update this quarter, on one page, saved at once.

    Each row is the single update form with its rules; rows that fail keep what was typed.
    """

    def dispatch(self, request):
        # Once the current quarter is signed off, updates go to the next one: so does this page.
        self.quarter = selectors.my_reporting_quarter(plans=selectors.my_plans(user=request.user))
        return super().dispatch(request)

    def rows(self, actions, data=None):
        closed = {plan.pk: closed_quarters(plan=plan) for plan in {action.plan for action in actions}}
        return QuarterUpdateForms(data, actions=actions, closed_quarters_of=lambda plan: closed[plan.pk])

    def get(self, request):
        actions = selectors.actions_to_update(user=request.user, quarter=self.quarter)
        return self.render(self.rows([action for action in actions if can_update_action(request.user, action)]))

    def post(self, request):
        pks = [int(pk) for pk in request.POST.getlist("action") if pk.isdigit()]
        actions = list(selectors.actions_for_bulk_update(user=request.user, pks=pks, quarter=self.quarter))
        if not all(can_update_action(request.user, action) for action in actions):
            raise PermissionDenied("You cannot update every one of these actions.")
        rows = self.rows(actions, request.POST.copy())
        to_save = rows.to_save()
        updates = [(form.action, form.update_fields()) for form in to_save]
        rows.record(action_update_progress_each(author=request.user, updates=updates))
        if rows.failed or not to_save:
            if not to_save:
                messages.info(request, "Nothing saved: choose a status for each action you are updating.")
            return self.render(rows)
        messages.success(request, f"Saved {len(rows.saved)} update{'s' * (len(rows.saved) != 1)} for {self.quarter}.")
        return redirect("plans:my_actions")

    def render(self, rows):
        context = {"rows": rows, "quarter": self.quarter, "title": f"Update my actions for {self.quarter}"}
        return render(self.request, "plans/quarter_update.html", context | {"nav": "my_actions"})
