from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model

from plans.models import ImprovementAction
from risks.choices import IMPACT_CHOICES, LIKELIHOOD_CHOICES, RiskStatus

NOT_SCORED = [("", "Not yet scored")]


class RiskReviewForm(forms.Form):
    likelihood = forms.TypedChoiceField(
        choices=NOT_SCORED + LIKELIHOOD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label="Current likelihood",
    )
    impact = forms.TypedChoiceField(
        choices=NOT_SCORED + IMPACT_CHOICES, coerce=int, empty_value=None, required=False, label="Current impact"
    )
    target_likelihood = forms.TypedChoiceField(
        choices=NOT_SCORED + LIKELIHOOD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label="Target likelihood",
    )
    target_impact = forms.TypedChoiceField(
        choices=NOT_SCORED + IMPACT_CHOICES, coerce=int, empty_value=None, required=False, label="Target impact"
    )
    review_date = forms.DateField(
        required=False, label="Next review by", widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(choices=RiskStatus.choices)
    owner_user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Owner (reviews it)",
        empty_label="No one named",
        help_text="Their My actions page lists this risk when its review is overdue.",
    )
    related_actions = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Improvement actions that mitigate it",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Review note",
        help_text="What you looked at and why the scores are what they are.",
    )

    def __init__(self, *args, risk, **kwargs):
        reviewed = ["likelihood", "impact", "target_likelihood", "target_impact", "review_date", "status", "owner_user"]
        initial = {name: getattr(risk, name) for name in reviewed}
        kwargs.setdefault("initial", initial | {"related_actions": list(risk.related_actions.all())})
        super().__init__(*args, **kwargs)
        members = get_user_model().objects.filter(memberships__partnership=risk.partnership_id)
        self.fields["owner_user"].queryset = members.order_by("first_name", "last_name", "username")
        self.fields["owner_user"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["related_actions"].queryset = ImprovementAction.objects.filter(plan=risk.plan_id).order_by("order")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div(Field("likelihood"), css_class="col-sm-6"),
                Div(Field("impact"), css_class="col-sm-6"),
                css_class="row",
            ),
            Div(
                Div(Field("target_likelihood"), css_class="col-sm-6"),
                Div(Field("target_impact"), css_class="col-sm-6"),
                css_class="row",
            ),
            Div(
                Div(Field("review_date"), css_class="col-sm-6"),
                Div(Field("status"), css_class="col-sm-6"),
                css_class="row",
            ),
            Div(
                Div(Field("owner_user"), css_class="col-sm-6"),
                Div(Field("related_actions"), css_class="col-sm-6"),
                css_class="row",
            ),
            "note",
            Submit("save", "Record review"),
        )

    def clean(self):
        cleaned = super().clean()
        for prefix, label in [("", "current"), ("target_", "target")]:
            pair = (cleaned.get(f"{prefix}likelihood"), cleaned.get(f"{prefix}impact"))
            if (pair[0] is None) != (pair[1] is None):
                self.add_error(f"{prefix}impact", f"Score both the {label} likelihood and impact, or neither.")
        return cleaned
