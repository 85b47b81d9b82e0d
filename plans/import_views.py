"""Pages for bringing plan years in and carrying them forward: import, export, template, roll-over."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from plans import selectors
from plans.forms import PlanImportForm
from plans.models import PlanImport
from plans.permissions import can_manage_partnership, manageable_plans
from plans.services import (
    plan_import_start,
    plan_import_upload,
    plan_imports_fail_abandoned,
    plan_publish,
    plan_rollover,
)
from plans.workbook.writer import export_plan, template_workbook
from sipportal.exports import XLSX_CONTENT_TYPE


def xlsx_download(content, filename):
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def template_download(request):
    return xlsx_download(template_workbook(), "sip-portal-plan-template.xlsx")


def plan_export(request, slug):
    plan = get_object_or_404(selectors.readable_plans(user=request.user), slug=slug)
    return xlsx_download(export_plan(plan), f"{plan.slug}.xlsx")


class ImportStartView(View):
    """Upload a workbook; partnership admins only."""

    def dispatch(self, request, *args, **kwargs):
        self.plans = manageable_plans(request.user)
        if not (request.user.is_superuser or selectors.manages_any_partnership(user=request.user)):
            raise PermissionDenied("Only partnership admins can import plans.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(PlanImportForm(plans=self.plans))

    def post(self, request):
        form = PlanImportForm(request.POST, request.FILES, plans=self.plans)
        if not form.is_valid():
            return self.render(form)
        upload = form.cleaned_data["file"]
        plan_import = plan_import_upload(
            user=request.user, filename=upload.name, content=upload.read(), target_plan=form.cleaned_data["target_plan"]
        )
        return redirect(plan_import)

    def render(self, form):
        recent = PlanImport.objects.filter(uploaded_by=self.request.user)[:10]
        context = {"form": form, "recent": recent, "title": "Import a plan year", "nav": "imports"}
        context["max_mb"] = round(settings.IMPORT_MAX_BYTES / 1_048_576, 1)
        return render(self.request, "plans/import_start.html", context)


class ImportMixin:
    def get_import(self, request, pk):
        plan_import = get_object_or_404(PlanImport.objects.select_related("plan", "target_plan"), pk=pk)
        if plan_import.uploaded_by_id != request.user.pk and not request.user.is_superuser:
            raise PermissionDenied("This is someone else's upload.")
        if plan_import.is_in_progress and plan_imports_fail_abandoned(now=timezone.now()):
            plan_import.refresh_from_db()
        return plan_import


class ImportDetailView(ImportMixin, View):
    def get(self, request, pk):
        plan_import = self.get_import(request, pk)
        context = {"plan_import": plan_import, "preview": plan_import.preview, "nav": "imports"}
        return render(request, "plans/import_detail.html", context | {"title": f"Import: {plan_import.filename}"})


class ImportConfirmView(ImportMixin, View):
    def post(self, request, pk):
        plan_import = self.get_import(request, pk)
        if not plan_import.can_start:
            messages.error(request, "This upload cannot be imported. Fix the problems and upload it again.")
            return redirect(plan_import)
        plan_import = plan_import_start(upload=plan_import, user=request.user)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = plan_import.get_absolute_url()
            return response
        return redirect(plan_import)


class ImportProgressView(ImportMixin, View):
    def get(self, request, pk):
        plan_import = self.get_import(request, pk)
        if not plan_import.is_in_progress:
            # Finished (or failed): the whole page changes, so send the browser to it.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = plan_import.get_absolute_url()
            return response
        return render(request, "plans/import_detail.html#progress", {"plan_import": plan_import})


class PlanRolloverView(View):
    """Preview, then create, next year's draft plan from this one."""

    def dispatch(self, request, slug):
        self.plan = get_object_or_404(selectors.readable_plans(user=request.user), slug=slug)
        if not can_manage_partnership(request.user, self.plan.partnership_id):
            raise PermissionDenied("Only the partnership admin can roll a plan over.")
        return super().dispatch(request, slug)

    def get(self, request, slug):
        _, preview = plan_rollover(plan=self.plan, user=request.user, dry_run=True)
        context = {"plan": self.plan, "preview": preview, "title": f"Roll over {self.plan.title}"}
        return render(request, "plans/plan_rollover.html", context | {"nav": "partnerships"})

    def post(self, request, slug):
        new_plan, preview = plan_rollover(plan=self.plan, user=request.user, dry_run=False)
        if new_plan is None:
            messages.error(request, preview.get("problem", "The plan could not be rolled over."))
            return redirect(self.plan)
        messages.success(request, f"Draft plan for {new_plan.period_label} created. Review it, then publish it.")
        return redirect(new_plan)


class PlanPublishView(View):
    def post(self, request, slug):
        plan = get_object_or_404(selectors.readable_plans(user=request.user), slug=slug)
        if not can_manage_partnership(request.user, plan.partnership_id):
            raise PermissionDenied("Only the partnership admin can publish a plan.")
        plan_publish(plan=plan, user=request.user)
        messages.success(request, f"{plan.title} ({plan.period_label}) is published.")
        return redirect(plan)
