"""Pages for bringing plan years in and carrying them forward: import, export, template, roll-over."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from plans import selectors
from plans.choices import PartnershipKind, PlanStatus, UpdateApproval
from plans.forms import PlanImportForm, PlanRolloverForm
from plans.import_services import (
    plan_import_create_partnership,
    plan_import_preview_again,
    plan_import_start,
    plan_import_upload,
    plan_imports_fail_abandoned,
)
from plans.models import PlanImport, PlanImportStatus, PlanSuperseded, ProgressUpdate
from plans.permissions import can_manage_partnership, manageable_partnerships, manageable_plans
from plans.services import plan_publish, plan_rollover
from plans.wordimport.sample import sample_document
from plans.workbook import examples
from plans.workbook.conflicts import Decisions
from plans.workbook.writer import export_plan, template_workbook
from sipportal.exports import XLSX_CONTENT_TYPE, download


def xlsx_download(content, filename):
    return download(content, filename, XLSX_CONTENT_TYPE)


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def template_download(request):
    return xlsx_download(template_workbook(), "sip-portal-plan-template.xlsx")


def word_sample_download(request):
    response = HttpResponse(sample_document(), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="sip-portal-word-plan-sample.docx"'
    return response


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
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        upload = form.cleaned_data["file"]
        plan_import = plan_import_upload(
            user=request.user,
            filename=upload.name,
            content=upload.read(),
            target_plan=form.cleaned_data["target_plan"],
            plan_facts=form.plan_facts(),
        )
        return redirect(plan_import)

    def form(self, *args):
        plans = self.plans.exclude(status=PlanStatus.SUPERSEDED)  # read-only: nothing is imported into them
        return PlanImportForm(*args, plans=plans, partnerships=manageable_partnerships(self.request.user))

    def render(self, form):
        recent = PlanImport.objects.filter(uploaded_by=self.request.user)[:10]
        context = {"form": form, "recent": recent, "title": "Import a plan year", "nav": "imports"}
        context["max_mb"] = round(settings.IMPORT_MAX_BYTES / 1_048_576, 1)
        return render(self.request, "plans/import_start.html", context)


class ImportMixin:
    def get_import(self, request, pk):
        uploads = PlanImport.objects.select_related("plan", "target_plan")
        if not request.user.is_superuser:
            # Someone else's upload is "not found": ids are sequential, so 403 would confirm it exists.
            uploads = uploads.filter(uploaded_by=request.user)
        plan_import = get_object_or_404(uploads, pk=pk)
        if plan_import.is_in_progress and plan_imports_fail_abandoned(now=timezone.now()):
            plan_import.refresh_from_db()
        return plan_import


class ImportDetailView(ImportMixin, View):
    def get(self, request, pk):
        plan_import = self.get_import(request, pk)
        context = {"plan_import": plan_import, "preview": plan_import.preview, "nav": "imports"}
        context["examples_skipped"] = examples.skipped_summary(plan_import.preview.get("examples_skipped", {}))
        context["partnership_kinds"] = PartnershipKind.choices
        return render(request, "plans/import_detail.html", context | {"title": f"Import: {plan_import.filename}"})


class ImportWorkbookView(ImportMixin, View):
    """The workbook a Word document was read into, to fix by hand and upload again."""

    def get(self, request, pk):
        plan_import = self.get_import(request, pk)
        if not plan_import.from_word or not plan_import.preview.get("word", {}).get("has_workbook"):
            raise Http404("Only a Word upload that could be read has a workbook.")
        stem = plan_import.filename.rsplit(".", 1)[0]
        return xlsx_download(bytes(plan_import.content), f"{stem}.xlsx")


class ImportConfirmView(ImportMixin, View):
    def post(self, request, pk):
        plan_import = self.get_import(request, pk)
        if not plan_import.can_start:
            messages.error(request, "This upload cannot be imported. Fix the problems and upload it again.")
            return redirect(plan_import)
        decisions = Decisions.from_post(request.POST)
        plan_import = plan_import_start(upload=plan_import, user=request.user, decisions=decisions)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = plan_import.get_absolute_url()
            return response
        return redirect(plan_import)


class ImportPreviewAgainView(ImportMixin, View):
    """Preview the stored upload again against the plan as it is now (POST only; the uploader's own)."""

    def post(self, request, pk):
        plan_import = self.get_import(request, pk)
        if not plan_import.can_preview_again:
            messages.error(request, "This upload is being imported or has been imported; it cannot be previewed again.")
            return redirect(plan_import)
        plan_import_preview_again(upload=plan_import, user=request.user)
        messages.success(request, "Previewed again against the plan as it is now. Check the changes, then import.")
        return redirect(plan_import)


class ImportCreatePartnershipView(ImportMixin, View):
    """A superuser creates the partnership an upload names, then sees the preview again (POST only)."""

    def post(self, request, pk):
        if not request.user.is_superuser:
            raise PermissionDenied("Only a site administrator can create a partnership.")
        plan_import = self.get_import(request, pk)
        kind = request.POST.get("kind", "")
        if kind not in PartnershipKind.values or not plan_import.preview.get("missing_partnership"):
            messages.error(request, "Choose whether the new partnership is an HSCP or a CPP.")
            return redirect(plan_import)
        if plan_import.status not in (PlanImportStatus.PREVIEWED, PlanImportStatus.HAS_PROBLEMS):
            messages.error(request, "This upload has been imported already.")
            return redirect(plan_import)
        name = plan_import.preview["missing_partnership"][0]
        plan_import_create_partnership(upload=plan_import, user=request.user, kind=kind)
        messages.success(request, f"{name} will be created when you import. Check the preview, then import.")
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
        return self.render(preview, PlanRolloverForm(initial={"title": preview["title"]}))

    def post(self, request, slug):
        form = PlanRolloverForm(request.POST)
        if not form.is_valid():
            return self.render(plan_rollover(plan=self.plan, user=request.user, dry_run=True)[1], form)
        new_plan, preview = plan_rollover(
            plan=self.plan, user=request.user, dry_run=False, title=form.cleaned_data["title"]
        )
        if new_plan is None:
            messages.error(request, preview.get("problem", "The plan could not be rolled over."))
            return redirect(self.plan)
        messages.success(request, f"Draft plan for {new_plan.period_label} created. Review it, then publish it.")
        return redirect(new_plan)

    def render(self, preview, form):
        context = {"plan": self.plan, "preview": preview, "form": form, "title": f"Roll over {self.plan.title}"}
        return render(self.request, "plans/plan_rollover.html", context | {"nav": "partnerships"})


def publish_consequences(plan):
    consequences = [
        f"{plan.title} ({plan.period_label}) becomes the live plan for {plan.partnership.name}: its "
        f"{plan.actions.count()} actions appear on managers' My actions pages and on the dashboards.",
    ]
    if plan.predecessor:
        consequences.append(
            f"It replaces {plan.predecessor.title} ({plan.predecessor.period_label}), which becomes superseded: "
            "it keeps its updates, reports and history and stays browsable, but is read-only and no longer "
            "counted on the dashboards, lists and My actions, so no action or risk is counted twice."
        )
        waiting = ProgressUpdate.objects.filter(action__plan=plan.predecessor, approval=UpdateApproval.SUBMITTED)
        if waiting.exists():
            consequences.append(
                f"{waiting.count()} progress update(s) on the {plan.predecessor.period_label} plan still await "
                "approval. Approve or return them first: once it is superseded they can no longer be decided."
            )
    return consequences


class PlanPublishView(View):
    def dispatch(self, request, slug):
        self.plan = get_object_or_404(selectors.readable_plans(user=request.user), slug=slug)
        if not can_manage_partnership(request.user, self.plan.partnership_id):
            raise PermissionDenied("Only the partnership admin can publish a plan.")
        return super().dispatch(request, slug)

    def get(self, request, slug):
        plan = self.plan
        consequences = publish_consequences(plan)
        consequences.append("The draft's contents are not changed; only its status becomes Published.")
        context = {"title": f"Publish {plan.title}?", "consequences": consequences, "action_url": request.path}
        context |= {
            "confirm_label": "Publish this plan",
            "button_class": "btn-success",
            "cancel_url": plan.get_absolute_url(),
        }
        context |= {
            "breadcrumbs": [
                (plan.partnership.name, plan.partnership.get_absolute_url()),
                (plan.title, plan.get_absolute_url()),
            ]
        }
        return render(request, "generic/confirm.html", context | {"nav": "partnerships"})

    def post(self, request, slug):
        try:
            plan_publish(plan=self.plan, user=request.user)
        except PlanSuperseded as refused:
            messages.error(request, str(refused))
            return redirect(self.plan)
        messages.success(request, f"{self.plan.title} ({self.plan.period_label}) is published.")
        return redirect(self.plan)
