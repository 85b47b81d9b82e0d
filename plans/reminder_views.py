"""Pages for chasing updates: a user's reminder settings, and a partnership's reporting calendar."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from plans import selectors
from plans.choices import ReminderFrequency
from plans.forms import ReminderDaysForm, ReminderPreferenceForm, ReportingPeriodFormSet
from plans.models import SentReminder
from plans.permissions import can_manage_partnership, readable_partnerships
from plans.services import reminder_preference_set, reporting_calendar_save


class ProfileView(View):
    """Your reminder emails: every reminder, a weekly digest, or none; and the last ones sent to you."""

    def get(self, request):
        preference = getattr(request.user, "reminder_preference", None)
        frequency = preference.frequency if preference else ReminderFrequency.EACH
        return self.render(ReminderPreferenceForm(initial={"frequency": frequency}))

    def post(self, request):
        form = ReminderPreferenceForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        reminder_preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, "Your reminder settings are saved.")
        return redirect("plans:profile")

    def render(self, form):
        sent = SentReminder.objects.filter(user=self.request.user).select_related("partnership")[:10]
        context = {"form": form, "sent": sent, "title": "Your profile", "nav": "profile"}
        return render(self.request, "plans/profile.html", context)


class ReportingCalendarView(View):
    """A partnership's quarters, update deadlines and board dates; partnership admins edit them."""

    def dispatch(self, request, slug):
        self.partnership = get_object_or_404(readable_partnerships(request.user), slug=slug)
        self.can_manage = can_manage_partnership(request.user, self.partnership.pk)
        return super().dispatch(request, slug)

    def get(self, request, slug):
        return self.render(
            ReportingPeriodFormSet(partnership=self.partnership), ReminderDaysForm(instance=self.partnership)
        )

    def post(self, request, slug):
        if not self.can_manage:
            raise PermissionDenied("Only the partnership admin can change the reporting calendar.")
        calendar = ReportingPeriodFormSet(request.POST, partnership=self.partnership)
        days = ReminderDaysForm(request.POST, instance=self.partnership)
        if not (calendar.is_valid() and days.is_valid()):
            return self.render(calendar, days)
        reporting_calendar_save(
            partnership=self.partnership, calendar_formset=calendar, days_form=days, user=request.user
        )
        messages.success(request, "The reporting calendar is saved.")
        return redirect("plans:reporting_calendar", slug=slug)

    def render(self, calendar, days):
        context = {"partnership": self.partnership, "calendar": calendar, "days_form": days, "nav": "partnerships"}
        context |= {"can_manage": self.can_manage, "title": f"Reporting calendar: {self.partnership.name}"}
        context["periods"] = selectors.reporting_calendar(partnership=self.partnership)
        return render(self.request, "plans/reporting_calendar.html", context)
