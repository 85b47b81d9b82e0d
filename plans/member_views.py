"""A partnership's members, managed in the app by its partnership admins (and superusers)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from plans import selectors
from plans.forms import MemberAddForm, MemberRoleForm
from plans.member_services import MembershipRefused, membership_add, membership_remove, membership_set_role
from plans.permissions import can_manage_partnership


class MembersMixin:
    """The partnership from the URL: 404 outside the user's partnerships, 403 unless they manage it."""

    def dispatch(self, request, slug, *args, **kwargs):
        try:
            self.partnership = selectors.partnership_for_page(user=request.user, slug=slug)
        except ObjectDoesNotExist:
            raise Http404("Not found") from None
        if not can_manage_partnership(request.user, self.partnership.pk):
            raise PermissionDenied("Only the partnership's admins manage its members.")
        return super().dispatch(request, slug, *args, **kwargs)

    def membership(self, pk):
        return get_object_or_404(self.partnership.memberships.select_related("user"), pk=pk)

    def refused(self, error):
        messages.error(self.request, str(error))
        return redirect("plans:partnership_members", slug=self.partnership.slug)


class MembersView(MembersMixin, View):
    def get(self, request, slug):
        return self.render(MemberAddForm())

    def post(self, request, slug):
        form = MemberAddForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            added = membership_add(partnership=self.partnership, **form.cleaned_data)
        except MembershipRefused as error:
            form.add_error("username", str(error))
            return self.render(form)
        messages.success(request, f"{added.user.username} is now a {added.get_role_display().lower()}.")
        return redirect("plans:partnership_members", slug=slug)

    def render(self, form):
        members = selectors.partnership_members(partnership=self.partnership)
        context = {"partnership": self.partnership, "members": members, "form": form, "nav": "partnerships"}
        context |= {"roles": MemberRoleForm.base_fields["role"].choices, "title": f"Members of {self.partnership}"}
        return render(self.request, "plans/partnership_members.html", context)


class MemberRoleView(MembersMixin, View):
    def post(self, request, slug, pk):
        membership = self.membership(pk)
        form = MemberRoleForm(request.POST)
        if not form.is_valid():
            return self.refused("Choose a role from the list.")
        try:
            changed = membership_set_role(membership=membership, role=form.cleaned_data["role"])
        except MembershipRefused as error:
            return self.refused(error)
        messages.success(request, f"{membership.user.username} is now a {changed.get_role_display().lower()}.")
        return redirect("plans:partnership_members", slug=slug)


class MemberRemoveView(MembersMixin, View):
    def post(self, request, slug, pk):
        membership = self.membership(pk)
        try:
            membership_remove(membership=membership)
        except MembershipRefused as error:
            return self.refused(error)
        messages.success(request, f"{membership.user.username} is no longer a member of {self.partnership}.")
        return redirect("plans:partnership_members", slug=slug)
