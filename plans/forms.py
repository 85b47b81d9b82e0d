from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings

from plans.choices import ActionStatus, MembershipRole, PlanKind, ReminderFrequency
from plans.models import Partnership, ReportingPeriod
from plans.periods import FinancialQuarter, financial_year_label, quarters_open_for_updates
from plans.workbook import cells

NEEDS_COMMENTARY = {ActionStatus.RED, ActionStatus.AMBER}
# Evidence files: each allowed extension with the bytes such a file starts with (a renamed file is refused).
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EVIDENCE_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "docx": [ZIP],
    "xlsx": [ZIP],
    "pptx": [ZIP],
    "odt": [ZIP],
    "ods": [ZIP],
    "doc": [OLE],
    "xls": [OLE],
    "ppt": [OLE],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "gif": [b"GIF87a", b"GIF89a"],
}


def check_evidence(upload):
    """Refuse a file that is too large, or whose name or content is not an allowed document or image."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = round(settings.EVIDENCE_MAX_BYTES / 1_048_576, 1)
        raise forms.ValidationError(f"The file is larger than {limit:g} MB.")
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in EVIDENCE_SIGNATURES:
        raise forms.ValidationError(
            "Attach a PDF, Word, Excel, PowerPoint or OpenDocument file, or a PNG, JPEG or GIF."
        )
    upload.seek(0)
    start = upload.read(16)
    upload.seek(0)
    if not any(start.startswith(signature) for signature in EVIDENCE_SIGNATURES[extension]):
        raise forms.ValidationError(f"The file's content is not a .{extension} file.")


class ProgressUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="RAG status",
        choices=[(value, label) for value, label in ActionStatus.choices if value != ActionStatus.NOT_ASSESSED],
        widget=forms.RadioSelect,
    )
    percent_complete = forms.IntegerField(
        label="Percent complete", min_value=0, max_value=100, required=False, help_text="0 to 100."
    )
    commentary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required for Red or Amber, and whenever the status changes.",
    )
    period = forms.ChoiceField(
        label="Reporting quarter",
        error_messages={"invalid_choice": "%(value)s is signed off or not open for updates. Choose an open quarter."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = forms.FileField(
        required=False, help_text="Optional: a PDF, Word, Excel or PowerPoint document or an image, up to 10 MB."
    )

    def __init__(self, *args, action, current_quarter=None, closed_quarters=(), **kwargs):
        self.action = action
        current_quarter = current_quarter or FinancialQuarter.current()
        open_quarters, self.closed_notice = quarters_open_for_updates(current_quarter, closed_quarters)
        kwargs.setdefault(
            "initial",
            {
                "status": action.status if action.status != ActionStatus.NOT_ASSESSED else None,
                "percent_complete": action.percent_complete,
                "period": str(open_quarters[0]) if open_quarters else None,
                "version": action.version,
            },
        )
        super().__init__(*args, **kwargs)
        # Signed-off quarters are frozen, so they are not offered.
        self.fields["period"].choices = [(str(q), str(q)) for q in open_quarters]
        if self.closed_notice:
            self.fields["period"].error_messages["invalid_choice"] = (
                "%(value)s is not open for updates. " + self.closed_notice.replace("%", "%%")
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("status"),
            Field("percent_complete", css_class="w-auto"),
            Field("commentary"),
            Field("period", css_class="w-auto"),
            "version",
            Field("evidence"),
        )

    def update_fields(self):
        """The cleaned form as the keyword arguments of services.action_update_progress."""
        data = self.cleaned_data
        return {
            "status": data["status"],
            "percent_complete": data["percent_complete"],
            "commentary": data["commentary"],
            "period": data["period"],
            "expected_version": data["version"],
            "evidence": data.get("evidence"),
        }

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_evidence(upload)
        return upload

    def clean_period(self):
        return FinancialQuarter.parse(self.cleaned_data["period"])

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status is None:
            return cleaned
        changed = status != self.action.status
        if (status in NEEDS_COMMENTARY or changed) and not cleaned.get("commentary", "").strip():
            reason = (
                f"the status is {ActionStatus(status).label}" if status in NEEDS_COMMENTARY else "the status changes"
            )
            self.add_error("commentary", f"Add a commentary: it is required when {reason}.")
        if status == ActionStatus.COMPLETE:
            if cleaned.get("percent_complete") not in (None, 100):
                self.add_error("percent_complete", "A complete action is 100% complete.")
            cleaned["percent_complete"] = 100
        return cleaned


class QuarterRowUpdateForm(ProgressUpdateForm):
    """One row of the bulk update: the single update form and its rules, for one action.

    Nothing is chosen for the status, so a row left alone is unchanged and skipped; last quarter's
    commentary is offered as the starting point to edit.
    """

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, action=action, empty_permitted=True, use_required_attribute=False, **kwargs)
        self.initial["status"] = None
        self.initial["commentary"] = getattr(action, "latest_commentary", None) or ""
        self.fields["period"].widget = forms.HiddenInput()
        self.helper.layout = Layout(
            InlineRadios("status"),
            Field("percent_complete", css_class="w-auto"),
            Field("commentary", rows=3),
            "period",
            "version",
        )
        self.saved = None
        self.conflict = None

    def has_changed(self):
        # The version moves when someone else saves (that is a conflict, not an edit), and browsers
        # send a textarea's line breaks as CRLF, so neither alone makes an untouched row "changed".
        changed = set(self.changed_data) - {"version"}
        if "commentary" in changed:
            posted = self.data.get(self.add_prefix("commentary"), "")
            if " ".join(posted.split()) == " ".join(self.initial["commentary"].split()):
                changed.discard("commentary")
        return bool(changed)


class QuarterUpdateForms:
    """The bulk update's rows, one QuarterRowUpdateForm per action, keyed by the action's id.

    Rows are prefixed by action, not by position, so a row still means the same action when the
    list has changed between opening the page and saving it.
    """

    def __init__(self, data=None, *, actions, closed_quarters_of):
        self.forms = [
            QuarterRowUpdateForm(
                data, action=action, prefix=f"a{action.pk}", closed_quarters=closed_quarters_of(action.plan)
            )
            for action in actions
        ]

    def __iter__(self):
        return iter(self.forms)

    def __len__(self):
        return len(self.forms)

    def to_save(self):
        """The rows someone filled in and that pass the update form's rules; the rest wait."""
        return [form for form in self.forms if form.has_changed() and form.is_valid()]

    def record(self, outcomes):
        """Attach each row's outcome: its saved update, or why it was refused."""
        for form in self.forms:
            outcome = outcomes.get(form.action.pk)
            if outcome is None:
                continue
            if not isinstance(outcome, Exception):
                form.saved = outcome
            elif hasattr(outcome, "latest_update"):
                form.conflict = outcome.latest_update
                # Keep what was typed, now against the newer version, so saving again is a choice.
                form.data[form.add_prefix("version")] = str(outcome.version)
            else:
                form.add_error("period", str(outcome))

    @property
    def saved(self):
        return [form for form in self.forms if form.saved]

    @property
    def failed(self):
        return [form for form in self.forms if form.conflict is not None or (form.is_bound and form.errors)]


class PlanRolloverForm(forms.Form):
    title = forms.CharField(
        label="Title of the new plan",
        max_length=300,
        required=False,  # empty: the proposed title
        help_text="Proposed from this plan's title with its years moved on one. Change it if it reads wrongly.",
    )


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Workbook or CSV, or the plan's Word document",
        help_text=(
            "An .xlsx plan-year workbook (use the template), the plan's Word document (.docx), "
            "or a .csv of one section for an existing plan."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.docx,.csv"}),
    )
    target_plan = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Plan (for a CSV only)",
        help_text="A CSV holds one section, so choose the plan it belongs to.",
    )

    # For a Word document: the plan's facts, where the document does not state them.
    partnership = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Partnership (for a Word document)",
        help_text="Only needed if the document does not name it.",
    )
    kind = forms.ChoiceField(choices=[("", "As the document says"), *PlanKind.choices], required=False)
    start_year = forms.CharField(
        label="First financial year", required=False, max_length=9, help_text="e.g. 2021/22, if the document omits it."
    )
    title = forms.CharField(label="Plan title", required=False, max_length=200)

    def __init__(self, *args, plans, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_plan"].queryset = plans
        self.fields["partnership"].queryset = partnerships
        self.fields["kind"].label = "Kind of plan"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "file",
            "target_plan",
            Fieldset("Word document only", "partnership", "kind", "start_year", "title"),
            Submit("preview", "Upload and preview"),
        )

    def clean_start_year(self):
        raw = self.cleaned_data["start_year"]
        try:
            return financial_year_label(cells.financial_year(raw)) if raw.strip() else ""
        except cells.CellError as error:
            raise forms.ValidationError(str(error)) from None

    def plan_facts(self):
        """The Word document facts chosen here, as the Plan sheet holds them."""
        data = self.cleaned_data
        facts = {
            "partnership": data["partnership"].name if data["partnership"] else "",
            "kind": dict(PlanKind.choices).get(data["kind"], ""),
            "start_year": data["start_year"],
            "title": data["title"].strip(),
        }
        return {key: value for key, value in facts.items() if value}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and upload.name.lower().endswith(".csv") and not cleaned.get("target_plan"):
            self.add_error("target_plan", "Choose the plan this CSV section belongs to.")
        if upload and upload.size > settings.IMPORT_MAX_BYTES:
            self.add_error("file", f"The file is larger than the {settings.IMPORT_MAX_BYTES // 1_000_000} MB limit.")
        return cleaned


class ReminderPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Reminder emails", choices=ReminderFrequency.choices, widget=forms.RadioSelect, initial="each"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))


class ReminderDaysForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["reminder_days_before", "updates_need_approval"]
        labels = {"reminder_days_before": "Reminder days before each deadline"}


class ReportingPeriodForm(forms.ModelForm):
    quarter = forms.CharField(label="Quarter", help_text="For example 2021/22 Q1.")

    class Meta:
        model = ReportingPeriod
        fields = ["update_deadline", "board_date"]
        widgets = {
            "update_deadline": forms.DateInput(attrs={"type": "date"}),
            "board_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["quarter"] = str(self.instance.period)

    def clean_quarter(self):
        try:
            quarter = FinancialQuarter.parse(self.cleaned_data["quarter"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        self.instance.period_year, self.instance.period_quarter = quarter.start_year, quarter.quarter
        return quarter


class BaseReportingPeriodFormSet(forms.BaseModelFormSet):
    """One partnership's calendar: each quarter at most once."""

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        kwargs.setdefault("queryset", ReportingPeriod.objects.filter(partnership=partnership))
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            quarter = form.cleaned_data.get("quarter") if form.has_changed() or form.instance.pk else None
            if quarter is None:
                continue
            if quarter in seen:
                form.add_error("quarter", f"{quarter} is in the calendar twice.")
            seen.add(quarter)
            form.instance.partnership = self.partnership


ReportingPeriodFormSet = forms.modelformset_factory(
    ReportingPeriod, form=ReportingPeriodForm, formset=BaseReportingPeriodFormSet, extra=1
)


class UpdateDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("return", "Return")])
    reason = forms.CharField(
        label="Reason for returning it", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the update is returned, so its author can put it right.")
        return cleaned


class MemberAddForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    role = forms.ChoiceField(choices=MembershipRole.choices, initial=MembershipRole.VIEWER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=MembershipRole.choices)
