from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms

from dashboard.choices import RagRating
from dashboard.models import NextStep, QuarterlyReport, ReportCommentary
from dashboard.services import REPORT_FIELDS
from plans.periods import financial_year_label

RAG_CHOICES = [("", "Not stated"), *RagRating.choices]


class QuarterForm(forms.Form):
    """The dashboards' chooser: a quarter, and on the partnership dashboard the plan year first."""

    quarter = forms.ChoiceField(label="Quarter", widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, quarters, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(str(q), str(q)) for q in quarters]
        if years is not None:
            self.fields["year"] = forms.ChoiceField(
                label="Plan year",
                choices=[(str(year), financial_year_label(year)) for year in years],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.order_fields(["year", "quarter"])


class ReportForm(forms.ModelForm):
    class Meta:
        model = QuarterlyReport
        fields = REPORT_FIELDS
        widgets = {
            "priority": forms.Textarea(attrs={"rows": 2}),
            "overall_status": forms.RadioSelect(choices=RAG_CHOICES),
            "delivery_plan_status": forms.RadioSelect(choices=RAG_CHOICES),
            "pi_status": forms.RadioSelect(choices=RAG_CHOICES),
            "progress_towards_objectives": forms.Textarea(attrs={"rows": 4}),
            "general_commentary": forms.Textarea(attrs={"rows": 4}),
            "change_requests": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"pi_status": "Progress measures (PIs) status", "percent_complete": "% completion of delivery plan"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent_complete"].widget.attrs.update({"min": 0, "max": 100})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("The priority", "priority", "priority_manager", "lead_officer"),
            Fieldset(
                "Status",
                Div(
                    Div(Field("overall_status"), css_class="col-md-4"),
                    Div(Field("delivery_plan_status"), css_class="col-md-4"),
                    Div(Field("pi_status"), css_class="col-md-4"),
                    css_class="row",
                ),
                Field("percent_complete", css_class="w-auto"),
            ),
            Fieldset("Commentary", "progress_towards_objectives", "general_commentary", "change_requests"),
        )

    def clean_percent_complete(self):
        value = self.cleaned_data["percent_complete"]
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError("Enter a percentage from 0 to 100.")
        return value


class CommentaryForm(forms.ModelForm):
    """One commentary; its theme link travels with it, so saving never loses it."""

    class Meta:
        model = ReportCommentary
        fields = ["theme", "heading", "rag_status", "commentary"]
        widgets = {
            "theme": forms.HiddenInput(),
            "heading": forms.TextInput(),
            "rag_status": forms.Select(choices=RAG_CHOICES),
            "commentary": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"heading": "Outcome or theme", "rag_status": "RAG status"}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = plan.themes.all()


class NextStepForm(forms.ModelForm):
    class Meta:
        model = NextStep
        fields = ["title", "comments", "due_text", "due_date"]
        widgets = {
            "title": forms.TextInput(),
            "comments": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"title": "Next step or target", "due_text": "Due (as written)", "due_date": "Due date"}


class ReportRowFormSet(forms.BaseInlineFormSet):
    """Commentaries or next steps of a report, edited in place; "add another" appends an empty row."""

    def rows(self):
        """The kept rows of a valid formset, in order, as plain dicts; saved rows carry their "id"."""
        not_values = {"id", "DELETE", self.fk.name}
        return [
            {"id": form.instance.pk} | {name: form.cleaned_data[name] for name in form.fields if name not in not_values}
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form)
        ]


def formset_for(form_class, *, report, prefix, initial, data=None, form_kwargs=None):
    """An inline formset over the report's rows. Extra rows: one per prefilled row, or one empty one."""
    add_another = data is not None and f"add-{prefix}" in data
    formset_class = forms.inlineformset_factory(
        QuarterlyReport,
        form_class._meta.model,
        form=form_class,
        formset=ReportRowFormSet,
        extra=len(initial) or (0 if report.pk and _has_rows(report, form_class) else 1),
        can_delete=True,
    )
    if add_another:
        data = data.copy()
        total = data.get(f"{prefix}-TOTAL_FORMS", "")
        if total.isdigit():  # a tampered count is left for the management form to refuse
            data[f"{prefix}-TOTAL_FORMS"] = str(int(total) + 1)
    formset = formset_class(data, instance=report, prefix=prefix, initial=initial, form_kwargs=form_kwargs)
    formset.helper = FormHelper()
    formset.helper.form_tag = False
    formset.helper.disable_csrf = True
    return formset


def _has_rows(report, form_class):
    return form_class._meta.model.objects.filter(report=report).exists()


class ReopenForm(forms.Form):
    note = forms.CharField(label="Why reopen this quarter?", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def report_forms(*, report, data=None):
    """The report form and its two formsets; a new report starts with a commentary per theme of the plan."""
    themes = [] if report.pk else list(report.plan.themes.all())
    return (
        ReportForm(data, instance=report),
        formset_for(
            CommentaryForm,
            report=report,
            prefix="commentary",
            initial=[{"heading": theme.title, "theme": theme.pk} for theme in themes],
            data=data,
            form_kwargs={"plan": report.plan},
        ),
        formset_for(NextStepForm, report=report, prefix="next", initial=[], data=data),
    )


def adding_another(data):
    """Whether the manager asked for another empty commentary or next step rather than to save."""
    return any(key in data for key in ("add-commentary", "add-next"))
