"""Approving managers' updates, where a partnership has switched approval on."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from plans import selectors
from plans.forms import UpdateDecisionForm
from plans.models import PlanSuperseded, ProgressUpdate, UpdateEvidence
from plans.permissions import can_approve_update, readable_partnerships
from plans.services import UpdateAlreadyDecided, progress_update_decide


class ApprovalListView(View):
    def get(self, request):
        updates = selectors.updates_awaiting_approval(user=request.user)
        context = {"updates": updates, "title": "Updates awaiting approval", "nav": "approvals"}
        return render(request, "plans/approvals.html", context)


class UpdateDecisionView(View):
    """Approve an update, or return it with a reason (POST only)."""

    def post(self, request, pk):
        visible = ProgressUpdate.objects.filter(action__plan__partnership__in=readable_partnerships(request.user))
        update = get_object_or_404(visible.select_related("action__plan", "action__service"), pk=pk)
        if not can_approve_update(request.user, update):
            raise PermissionDenied("Only a partnership admin or the service's approver can approve updates.")
        form = UpdateDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
            return redirect("plans:approvals")
        approve = form.cleaned_data["decision"] == "approve"
        try:
            progress_update_decide(
                update=update, approver=request.user, approve=approve, reason=form.cleaned_data["reason"]
            )
        except (UpdateAlreadyDecided, PlanSuperseded) as decided:
            messages.error(request, str(decided))
            return redirect("plans:approvals")
        verb = "approved" if approve else "returned to its author"
        messages.success(request, f"{update.action.reference}: the {update.period} update is {verb}.")
        return redirect("plans:approvals")


def evidence_download(request, pk):
    """An update's evidence file, for members of its partnership only (404 for anyone else)."""
    readable = UpdateEvidence.objects.filter(update__action__plan__partnership__in=readable_partnerships(request.user))
    evidence = get_object_or_404(readable, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
