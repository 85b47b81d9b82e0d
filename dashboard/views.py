from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views import View
from django.views.generic import TemplateView

from dashboard import charts, selectors
from dashboard.documents import report_docx
from dashboard.filters import MeasureFilterSet
from dashboard.forms import QuarterForm, ReopenForm, formset_rows, report_forms
from dashboard.models import QuarterlyReport
from dashboard.services import (
    QuarterSignedOff,
    report_reopen,
    report_save,
    report_sign_off,
)
from dashboard.tables import MeasureTable
from plans import selectors as plan_selectors
from plans.periods import FinancialQuarter
from plans.permissions import can_manage_partnership, readable_partnerships
from plans.views import PLAN_SECTIONS, PlanSectionView

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PlanMeasureListView(PlanSectionView):
    queryset = selectors.measures_for_list()
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    section = "measures"
    title = "Quality assurance and improvement dashboard"
    paginate_by = None

    def get_table_kwargs(self):
        return {"years": selectors.result_years(plan=self.plan)}


class QuarterMixin:
    """Reads ?quarter=2021/22 Q1, defaulting to the latest quarter with data."""

    def chosen_quarter(self, plans):
        choices = selectors.quarter_choices(plans=plans)
        try:
            quarter = FinancialQuarter.parse(self.request.GET["quarter"])
        except (KeyError, ValueError):
            quarter = selectors.default_quarter(plans=plans)
        quarter = quarter if quarter in choices else choices[0]
        return quarter, QuarterForm(initial={"quarter": str(quarter)}, quarters=choices)


class PlanDashboardView(QuarterMixin, TemplateView):
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        plan = get_object_or_404(plan_selectors.readable_plans(user=self.request.user), slug=kwargs["slug"])
        quarter, quarter_form = self.chosen_quarter(type(plan).objects.filter(pk=plan.pk))
        data = selectors.plan_dashboard(plan=plan, quarter=quarter)
        return super().get_context_data(
            plan=plan,
            section="dashboard",
            plan_sections=PLAN_SECTIONS,
            nav="partnerships",
            data=data,
            charts=charts.dashboard_charts(data),
            quarter_form=quarter_form,
            title=f"Dashboard {quarter}",
            reports=selectors.reports_for_plan(plan=plan),
            can_manage=can_manage_partnership(self.request.user, plan.partnership_id),
            update_deadlines=plan_selectors.next_update_deadlines(partnerships=[plan.partnership_id]).values(),
            awaiting_approval=plan_selectors.awaiting_approval_count(
                partnership_ids=[plan.partnership_id], quarter=quarter
            ),
        )


class PartnershipDashboardView(QuarterMixin, TemplateView):
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        partnership = get_object_or_404(readable_partnerships(self.request.user), slug=kwargs["slug"])
        quarter, quarter_form = self.chosen_quarter(partnership.plans.all())
        data = selectors.partnership_dashboard(partnership=partnership, quarter=quarter)
        return super().get_context_data(
            partnership=partnership,
            nav="partnerships",
            data=data,
            charts=charts.dashboard_charts(data),
            quarter_form=quarter_form,
            title=f"{partnership.name}: dashboard {quarter}",
            update_deadlines=plan_selectors.next_update_deadlines(partnerships=[partnership.pk]).values(),
            awaiting_approval=plan_selectors.awaiting_approval_count(partnership_ids=[partnership.pk], quarter=quarter),
        )


class OverviewView(TemplateView):
    """One row per partnership, for board members who sit on several."""

    template_name = "dashboard/overview.html"

    def get_context_data(self, **kwargs):
        partnerships = list(readable_partnerships(self.request.user).order_by("name"))
        quarter = FinancialQuarter.current()
        rows = selectors.overview(partnerships=partnerships, quarter=quarter)
        return super().get_context_data(rows=rows, quarter=quarter, nav="overview", title="Overview", **kwargs)


class ReportMixin:
    def get_report(self):
        try:
            return selectors.report_for_page(user=self.request.user, **self.kwargs)
        except QuarterlyReport.DoesNotExist:
            raise Http404("No such report") from None

    def require_manager(self, plan):
        if not can_manage_partnership(self.request.user, plan.partnership_id):
            raise PermissionDenied("Only the partnership admin can change a quarterly report.")


class ReportDetailView(ReportMixin, TemplateView):
    template_name = "dashboard/report_detail.html"

    def get_context_data(self, **kwargs):
        report = self.get_report()
        can_manage = can_manage_partnership(self.request.user, report.plan.partnership_id)
        return super().get_context_data(
            report=report,
            content=selectors.report_content(report=report),
            plan=report.plan,
            nav="partnerships",
            can_manage=can_manage,
            events=report.events.select_related("user"),
            reopen_form=ReopenForm(),
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
        if not all(form.is_valid() for form in forms):
            return self.render(forms)
        report_form, commentary_set, step_set = forms
        report = report_save(
            report=self.report,
            fields={name: report_form.cleaned_data[name] for name in report_form.fields},
            commentaries=formset_rows(commentary_set),
            next_steps=formset_rows(step_set),
        )
        messages.success(request, f"Report for {report.period} saved as a draft.")
        return redirect(report.get_absolute_url())

    def render(self, forms):
        report_form, commentary_set, step_set = forms
        context = {"plan": self.plan, "report": self.report, "form": report_form, "commentary_set": commentary_set}
        context |= {"step_set": step_set, "content": selectors.report_live_content(report=self.report)}
        context |= {"nav": "partnerships", "title": f"Report {self.report.period}"}
        return render(self.request, "dashboard/report_form.html", context)


class ReportSignOffView(ReportMixin, View):
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
    def post(self, request, **kwargs):
        report = self.get_report()
        self.require_manager(report.plan)
        form = ReopenForm(request.POST)
        if form.is_valid() and report.is_signed_off:
            report_reopen(report=report, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, f"{report.period} reopened. The reason is recorded.")
        else:
            messages.error(request, "Give a reason to reopen a signed-off quarter.")
        return redirect(report.get_absolute_url())


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
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"{report.plan.slug}-{report.period_year}-q{report.period_quarter}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ReportDocxView(ReportMixin, View):
    def get(self, request, **kwargs):
        report = self.get_report()
        signed_off = f"Signed off {report.signed_off_at:%-d %B %Y}" if report.is_signed_off else "DRAFT, not signed off"
        content = report_docx(selectors.report_content(report=report), signed_off_text=signed_off)
        response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
        filename = f"{report.plan.slug}-{report.period_year}-q{report.period_quarter}.docx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
