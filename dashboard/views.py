from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from dashboard import charts, selectors
from dashboard.documents import report_docx
from dashboard.filters import MeasureFilterSet
from dashboard.forms import QuarterForm, ReopenForm, adding_another, report_forms
from dashboard.models import QuarterlyReport
from dashboard.services import (
    QuarterSignedOff,
    report_reopen,
    report_save,
    report_sign_off,
)
from dashboard.tables import MeasureTable
from plans import periods
from plans import selectors as plan_selectors
from plans.dataversion import cached
from plans.periods import FinancialQuarter, financial_year_label
from plans.permissions import can_change_plan, can_manage_partnership, readable_partnerships
from plans.views import PLAN_SECTIONS, PlanSectionView
from risks import selectors as risk_selectors
from sipportal.exports import download

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class MyActionsView(TemplateView):
    """A manager's quarter end: their actions and the risk reviews they owe, so it sits above both apps."""

    template_name = "plans/my_actions.html"
    extra_context = {"nav": "my_actions", "title": "My actions"}

    def get_context_data(self, **kwargs):
        reviews_due = risk_selectors.reviews_due_for(user=self.request.user)
        return super().get_context_data(
            **plan_selectors.my_actions(user=self.request.user), reviews_due=reviews_due, **kwargs
        )


class PlanMeasureListView(PlanSectionView):
    queryset = selectors.measures_for_list()
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    section = "measures"
    title = "Quality assurance and improvement dashboard"
    paginate_by = None

    def get_table_kwargs(self):
        return {"years": selectors.result_years(plan=self.plan)}


def with_charts(data):
    """A dashboard's figures and its charts, cached together: the charts cost as much as the figures."""
    return data, charts.dashboard_charts(data)


class QuarterMixin:
    """Reads ?quarter=2021/22 Q1, defaulting to the latest quarter with data."""

    def asked_quarter(self):
        try:
            return FinancialQuarter.parse(self.request.GET["quarter"])
        except (KeyError, ValueError):
            return None

    def chosen_quarter(self, plans):
        choices = selectors.quarter_choices(plans=plans)
        quarter = self.asked_quarter() or selectors.default_quarter(plans=plans)
        quarter = quarter if quarter in choices else choices[0]
        return quarter, QuarterForm(initial={"quarter": str(quarter)}, quarters=choices)


class PlanDashboardView(QuarterMixin, TemplateView):
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        plan = get_object_or_404(plan_selectors.readable_plans(user=self.request.user), slug=kwargs["slug"])
        quarter, quarter_form = self.chosen_quarter(type(plan).objects.filter(pk=plan.pk))
        data, figures = cached(
            ("plan dashboard", plan.pk, quarter, periods.today()),
            lambda: with_charts(selectors.plan_dashboard(plan=plan, quarter=quarter)),
        )
        reports = selectors.reports_for_plan(plan=plan)
        return super().get_context_data(
            plan=plan,
            section="dashboard",
            plan_sections=PLAN_SECTIONS,
            nav="partnerships",
            data=data,
            charts=figures,
            quarter_form=quarter_form,
            title=f"Dashboard {quarter}",
            reports=reports,
            # So the page offers to continue the quarter's draft rather than to start another.
            quarter_report=next((report for report in reports if report.period == quarter), None),
            can_manage=can_change_plan(self.request.user, plan),
            update_deadlines=plan_selectors.next_update_deadlines(partnerships=[plan.partnership_id]).values(),
            awaiting_approval=plan_selectors.awaiting_approval_count(
                partnership_ids=[plan.partnership_id], quarter=quarter
            ),
        )


class PlanYearMixin(QuarterMixin):
    """A partnership's pages read one plan year and one quarter of it."""

    def chosen_year_and_quarter(self, plans):
        """?year=2024 (or the year of ?quarter=), else this year; and a quarter of that year."""
        years = selectors.year_choices(plans=plans)
        asked = self.request.GET.get("year") or self.request.GET.get("quarter", "")[:4]
        year = int(asked) if asked.isdigit() and int(asked) in years else selectors.default_year(years=years)
        year_plans = selectors.plans_of_year(plans=plans, year=year)
        quarters = selectors.year_quarters(year=year)
        quarter = self.asked_quarter() or selectors.default_quarter(plans=year_plans)
        quarter = quarter if quarter in quarters else quarters[0]
        form = QuarterForm(initial={"quarter": str(quarter), "year": str(year)}, quarters=quarters, years=years)
        return year, year_plans, quarter, form


class PartnershipDashboardView(PlanYearMixin, TemplateView):
    """One plan year at a time (this year first), so old years neither pile up nor swell the page."""

    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        partnership = get_object_or_404(readable_partnerships(self.request.user), slug=kwargs["slug"])
        year, plans, quarter, quarter_form = self.chosen_year_and_quarter(partnership.plans.all())
        data, figures = cached(
            ("partnership dashboard", partnership.pk, year, quarter, periods.today()),
            lambda: with_charts(selectors.partnership_dashboard(partnership=partnership, plans=plans, quarter=quarter)),
        )
        return super().get_context_data(
            partnership=partnership,
            nav="partnerships",
            data=data,
            charts=figures,
            quarter_form=quarter_form,
            year=financial_year_label(year),
            title=f"{partnership.name}: dashboard {quarter}",
            update_deadlines=plan_selectors.next_update_deadlines(partnerships=[partnership.pk]).values(),
            awaiting_approval=plan_selectors.awaiting_approval_count(partnership_ids=[partnership.pk], quarter=quarter),
        )


class OverviewView(QuarterMixin, TemplateView):
    """One row per partnership, for board members who sit on several, at the chosen quarter."""

    template_name = "dashboard/overview.html"

    def get_context_data(self, **kwargs):
        partnerships = readable_partnerships(self.request.user)
        quarter, quarter_form = self.chosen_quarter(selectors.overview_quarter_plans(partnerships=partnerships))
        # Keyed by the user, as what they may read is theirs: a change of membership is a write like any.
        rows = cached(
            ("overview", self.request.user.pk, quarter, periods.today()),
            lambda: selectors.overview(partnerships=partnerships, quarter=quarter),
        )
        return super().get_context_data(
            rows=rows, quarter=quarter, quarter_form=quarter_form, nav="overview", title="Overview", **kwargs
        )


class ReportMixin:
    def get_report(self):
        try:
            where = {name: self.kwargs[name] for name in ("slug", "year", "quarter")}
            return selectors.report_for_page(user=self.request.user, **where)
        except QuarterlyReport.DoesNotExist:
            raise Http404("No such report") from None

    def require_manager(self, plan):
        if not can_manage_partnership(self.request.user, plan.partnership_id):
            raise PermissionDenied("Only the partnership admin can change a quarterly report.")
        if plan.is_superseded:
            raise PermissionDenied(plan.superseded_message())


class ReportDetailView(ReportMixin, TemplateView):
    template_name = "dashboard/report_detail.html"

    def get_context_data(self, **kwargs):
        report = self.get_report()
        can_manage = can_change_plan(self.request.user, report.plan)
        return super().get_context_data(
            report=report,
            content=selectors.report_content(report=report),
            plan=report.plan,
            nav="partnerships",
            can_manage=can_manage,
            events=report.events.select_related("user"),
            title=f"Quarterly report {report.period}",
        )


class ReportEditView(ReportMixin, View):
    """Start or edit the quarter's report. Partnership admins only."""

    def dispatch(self, request, slug, year, quarter):
        self.plan = get_object_or_404(plan_selectors.readable_plans(user=request.user), slug=slug)
        self.require_manager(self.plan)
        self.report = selectors.report_for_quarter(plan=self.plan, quarter=FinancialQuarter(year, quarter))
        if self.report.is_signed_off:
            messages.error(request, f"{self.report.period} is signed off. Reopen it to make changes.")
            return redirect(self.report.get_absolute_url())
        return super().dispatch(request, slug=slug, year=year, quarter=quarter)

    def get(self, request, **kwargs):
        return self.render(report_forms(report=self.report))

    def post(self, request, **kwargs):
        forms = report_forms(report=self.report, data=request.POST)
        if adding_another(request.POST) or not all(form.is_valid() for form in forms):
            return self.render(forms)
        report_form, commentary_set, step_set = forms
        report = report_save(
            report=self.report,
            fields={name: report_form.cleaned_data[name] for name in report_form.fields},
            commentaries=commentary_set.rows(),
            next_steps=step_set.rows(),
        )
        messages.success(request, f"Report for {report.period} saved as a draft.")
        return redirect(report.get_absolute_url())

    def render(self, forms):
        report_form, commentary_set, step_set = forms
        context = {"plan": self.plan, "report": self.report, "form": report_form, "commentary_set": commentary_set}
        context |= {"step_set": step_set, "content": selectors.report_live_content(report=self.report)}
        context |= {"nav": "partnerships", "title": f"Report {self.report.period}"}
        return render(self.request, "dashboard/report_form.html", context)


def report_breadcrumbs(report):
    plan = report.plan
    return [
        (plan.partnership.name, plan.partnership.get_absolute_url()),
        (plan.title, reverse("dashboard:plan_dashboard", kwargs={"slug": plan.slug}) + f"?quarter={report.period}"),
        (f"{report.period} report", report.get_absolute_url()),
    ]


def sign_off_consequences(report):
    actions = selectors.action_summary(actions=report.plan.actions.in_force(), quarter=report.period)
    return [
        f"The report and its figures for {report.period} are frozen as they read now: {actions['total']} "
        f"actions' RAG status and commentary, the quality measures, budget, efficiencies and risks.",
        f"No more action updates are accepted for {report.period}; managers' updates go to "
        f"{report.period.next()}. {actions['not_updated']} of {actions['total']} actions have no update for "
        f"{report.period} and will be frozen as they stand.",
        "Your name and the time are recorded. A partnership admin can reopen the quarter, giving a reason.",
    ]


class ReportSignOffView(ReportMixin, View):
    def get(self, request, **kwargs):
        report = self.get_report()
        self.require_manager(report.plan)
        if report.is_signed_off:
            return redirect(report.get_absolute_url())
        context = {"consequences": sign_off_consequences(report), "button_class": "btn-success"}
        return confirm_page(request, report, context | {"confirm_label": f"Sign off {report.period}"})

    def post(self, request, **kwargs):
        report = self.get_report()
        self.require_manager(report.plan)
        try:
            report_sign_off(report=report, user=request.user)
        except QuarterSignedOff as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{report.period} signed off. Its figures are now frozen.")
        return redirect(report.get_absolute_url())


class ReportReopenView(ReportMixin, View):
    def get(self, request, **kwargs):
        report = self.get_report()
        self.require_manager(report.plan)
        if not report.is_signed_off:
            return redirect(report.get_absolute_url())
        return self.confirm(report, ReopenForm())

    def post(self, request, **kwargs):
        report = self.get_report()
        self.require_manager(report.plan)
        form = ReopenForm(request.POST)
        if form.is_valid() and report.is_signed_off:
            report_reopen(report=report, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, f"{report.period} reopened. The reason is recorded.")
        elif report.is_signed_off:
            return self.confirm(report, form)
        return redirect(report.get_absolute_url())

    def confirm(self, report, form):
        signed = report.signed_off_by.get_full_name() or report.signed_off_by.get_username()
        consequences = [
            f"The frozen copy signed off by {signed} on {report.signed_off_at:%-d %B %Y} is set aside: the report "
            "and its figures are computed live again until the quarter is signed off once more.",
            f"Action updates for {report.period} are accepted again.",
            "The sign-off and your reason stay in the sign-off history.",
        ]
        context = {"consequences": consequences, "form": form, "button_class": "btn-danger"}
        return confirm_page(self.request, report, context | {"confirm_label": f"Reopen {report.period}"})


def confirm_page(request, report, context):
    context |= {"title": f"{context['confirm_label']}?", "action_url": request.path}
    context |= {"cancel_url": report.get_absolute_url(), "breadcrumbs": report_breadcrumbs(report)}
    return render(request, "generic/confirm.html", context | {"nav": "partnerships"})


class ReportCompareView(ReportMixin, TemplateView):
    template_name = "dashboard/report_compare.html"

    def get_context_data(self, **kwargs):
        report = self.get_report()
        return super().get_context_data(
            report=report,
            plan=report.plan,
            comparison=selectors.report_comparison(report=report),
            nav="partnerships",
            title=f"{report.period} compared with {report.period.previous()}",
        )


class ReportPrintView(ReportMixin, TemplateView):
    template_name = "dashboard/report_print.html"

    def get_context_data(self, **kwargs):
        report = self.get_report()
        return super().get_context_data(report=report, content=selectors.report_content(report=report))


class ReportPdfView(ReportMixin, View):
    def get(self, request, **kwargs):
        from weasyprint import HTML  # imported here: it loads Pango, which only this view needs

        report = self.get_report()
        html = render_to_string(
            "dashboard/report_print.html",
            {"report": report, "content": selectors.report_content(report=report), "for_pdf": True},
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        filename = f"{report.plan.slug}-{report.period_year}-q{report.period_quarter}.pdf"
        return download(pdf, filename, "application/pdf")


class ReportDocxView(ReportMixin, View):
    def get(self, request, **kwargs):
        report = self.get_report()
        signed_off = f"Signed off {report.signed_off_at:%-d %B %Y}" if report.is_signed_off else "DRAFT, not signed off"
        content = report_docx(selectors.report_content(report=report), signed_off_text=signed_off)
        filename = f"{report.plan.slug}-{report.period_year}-q{report.period_quarter}.docx"
        return download(content, filename, DOCX_CONTENT_TYPE)
