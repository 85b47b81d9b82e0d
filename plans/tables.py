import django_tables2 as tables
from django.utils.html import format_html

from plans.models import BudgetLine, CommissionedService, ImprovementAction, PlannedEfficiency
from plans.templatetags.sip import gbp
from sipportal.exports import ExportColumn

RAG_BADGE = (
    '<span id="status-{{ record.pk }}">'
    '{% include "includes/badges.html#rag" with status=record.status label=record.get_status_display %}</span>'
)
# The status with its percentage beneath: one column instead of two keeps the Update button on screen.
RAG_AND_PERCENT = (
    RAG_BADGE + ' <span class="d-block small mt-1" id="percent-{{ record.pk }}">'
    "{% if record.percent_complete is None %}—{% else %}{{ record.percent_complete }}%{% endif %}</span>"
)


class MoneyColumn(tables.Column):
    """A £ column, right-aligned, optionally with a footer total of the rows shown."""

    def __init__(self, *args, total=False, **kwargs):
        self.show_total = total
        attrs = {"td": {"class": "money"}, "th": {"class": "money"}, "tf": {"class": "money fw-semibold"}}
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return gbp(value)

    def value(self, value):
        return value

    def render_footer(self, bound_column, table):
        if not self.show_total:
            return ""
        return gbp(sum(bound_column.accessor.resolve(row) or 0 for row in table.data))


def category_label(action):
    return action.category_text or action.get_category_display()


def latest_period(action):
    return action.latest_period and str(action.latest_period)


class ActionTable(tables.Table):
    reference = tables.Column(linkify=True, verbose_name="Ref", attrs={"td": {"class": "col-key"}})
    title = tables.Column(linkify=True, verbose_name="Action", attrs={"td": {"class": "col-title"}})
    plan = tables.Column(accessor="plan__partnership__name", verbose_name="Partnership")
    category = tables.Column(attrs={"td": {"class": "small"}})
    responsible = tables.Column(attrs={"td": {"class": "small"}})
    due_date = tables.DateColumn(format="j M Y", verbose_name="Due", attrs={"td": {"class": "col-date"}})
    status = tables.TemplateColumn(RAG_AND_PERCENT, verbose_name="RAG status", attrs={"td": {"class": "col-key"}})
    updated_in_quarter = tables.BooleanColumn(verbose_name="Updated this quarter", orderable=False, yesno="Yes,No")
    update = tables.TemplateColumn(
        template_name="plans/_action_update_button.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "col-action"}},
    )

    class Meta:
        model = ImprovementAction
        fields = [
            "reference",
            "title",
            "plan",
            "category",
            "responsible",
            "due_date",
            "status",
            "updated_in_quarter",
            "update",
        ]
        empty_text = "No actions match."
        attrs = {"class": "table table-hover align-middle table-stack", "thead": {"class": "table-light"}}

    def __init__(self, *args, user=None, request_path="", **kwargs):
        self.user = user
        self.request_path = request_path
        super().__init__(*args, **kwargs)

    @staticmethod
    def export_columns():
        """The download: what a manager hands to a committee (needs `with_latest_update()`)."""
        return [
            ExportColumn("Ref", lambda a: a.reference, width=8),
            ExportColumn("Action", lambda a: a.title, width=50),
            ExportColumn("Partnership", lambda a: a.plan.partnership.name, width=28),
            ExportColumn("Plan", lambda a: a.plan.title, width=30),
            ExportColumn("Plan year", lambda a: a.plan.period_label, width=12),
            ExportColumn("Category", category_label, width=18),
            ExportColumn("Responsible", lambda a: a.responsible, width=28),
            ExportColumn("Due", lambda a: a.due_date, kind="date", width=12),
            ExportColumn("RAG status", lambda a: a.get_status_display(), width=16),
            ExportColumn("% complete", lambda a: a.percent_complete, kind="number", width=11),
            ExportColumn("Updated this quarter", lambda a: a.updated_in_quarter, kind="yesno", width=11),
            ExportColumn("Latest update", latest_period, width=13),
            ExportColumn("Latest commentary", lambda a: a.latest_commentary, width=60),
        ]

    def render_category(self, record):
        return category_label(record)

    def render_plan(self, record):
        partnership = record.plan.partnership
        if partnership.short_name == partnership.name:
            return partnership.name
        return format_html('<abbr title="{}">{}</abbr>', partnership.name, partnership.short_name)


class BudgetLineTable(tables.Table):
    service = tables.Column(footer="Total")
    financial_year = tables.Column(accessor="financial_year_label", order_by="financial_year")
    amount = MoneyColumn(total=True, verbose_name="Budget")
    amount_text = tables.Column(verbose_name="As stated")

    class Meta:
        model = BudgetLine
        fields = ["service", "financial_year", "amount", "amount_text"]
        empty_text = "This plan states no budget."


class EfficiencyTable(tables.Table):
    number = tables.Column(verbose_name="No", footer="Total")
    planned_saving = MoneyColumn(total=True, verbose_name="Planned saving")
    delivered_saving = MoneyColumn(total=True, verbose_name="Delivered")

    class Meta:
        model = PlannedEfficiency
        fields = [
            "number",
            "division",
            "option",
            "planned_saving",
            "delivered_saving",
            "comments",
            "management_action",
            "delivery_status",
        ]
        empty_text = "This plan states no planned efficiencies."


class ContractTable(tables.Table):
    provider = tables.Column()
    annual_value = MoneyColumn(verbose_name="Annual value")

    class Meta:
        model = CommissionedService
        fields = ["provider", "service_name", "award_text", "term", "annual_value", "value_text"]
        empty_text = "No commissioned services are recorded for this plan."

    def render_provider(self, record):
        return format_html(
            "<strong>{}</strong><br><span class='small text-body-secondary'>{}</span>", record.provider, record.heading
        )
