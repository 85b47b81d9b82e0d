from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms

from dashboard.choices import RagRating
from dashboard.models import NextStep, QuarterlyReport, ReportCommentary
from dashboard.services import REPORT_FIELDS

RAG_CHOICES = [("", "Not stated"), *RagRating.choices]


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(str(q), str(q)) for q in quarters]


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
    class Meta:
        model = ReportCommentary
        fields = ["heading", "rag_status", "commentary"]
        widgets = {
            "heading": forms.TextInput(),
            "rag_status": forms.Select(choices=RAG_CHOICES),
            "commentary": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"heading": "Outcome or theme", "rag_status": "RAG status"}


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


def formset_for(form_class, *, prefix, initial, data=None):
    formset_class = forms.formset_factory(form_class, extra=2, can_delete=True)
    formset = formset_class(data, prefix=prefix, initial=initial)
    formset.helper = FormHelper()
    formset.helper.form_tag = False
    formset.helper.disable_csrf = True
    return formset


def formset_rows(formset):
    """The filled-in, undeleted rows of a valid formset, as plain dicts."""
    return [
        {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
        for form in formset
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and any(form.cleaned_data.values())
    ]


class ReopenForm(forms.Form):
    note = forms.CharField(label="Why reopen this quarter?", widget=forms.Textarea(attrs={"rows": 2}))


def report_forms(*, report, data=None):
    """The report form and its two formsets, prefilled from the saved report or, for a new one, the plan's themes."""
    if report.pk:
        commentaries = [
            {"heading": c.heading, "rag_status": c.rag_status, "commentary": c.commentary}
            for c in report.commentaries.all()
        ]
        steps = [
            {"title": s.title, "comments": s.comments, "due_text": s.due_text, "due_date": s.due_date}
            for s in report.next_steps.all()
        ]
    else:
        commentaries = [{"heading": theme.title} for theme in report.plan.themes.all()]
        steps = []
    return (
        ReportForm(data, instance=report),
        formset_for(CommentaryForm, prefix="commentary", initial=commentaries, data=data),
        formset_for(NextStepForm, prefix="next", initial=steps, data=data),
    )
