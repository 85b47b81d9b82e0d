import django_tables2 as tables
from django.template.defaultfilters import date, urlencode
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from plans.models import BudgetLine, CommissionedService, ImprovementAction, PlannedEfficiency
from plans.templatetags.sip import can_update, gbp, money_total, rag_badge, total_with_stated
from sipportal.exports import ExportColumn

EMPTY = "—"


def rendered(template_name, **context):
    """A cell from a template: compiled once by the cached loader, rendered with only what it needs.

    TemplateColumn compiles its template code again for every cell and copies the whole page's context
    into each, which cost more than the rest of a 50-row page together.
    """
    return get_template(template_name).render(context)


def url_for_pk(viewname):
    """The URL of `viewname` for any pk, from one reverse() rather than one per row."""
    sentinel = 918273645
    prefix, suffix = reverse(viewname, kwargs={"pk": sentinel}).split(str(sentinel))
    return lambda pk: f"{prefix}{pk}{suffix}"


def with_withdrawn_badge(record, content):
    """A withdrawn row stays listed, to browse, marked so no one mistakes it for a counted one."""
    if getattr(record, "is_withdrawn", False):
        return format_html('{} <span class="badge text-bg-secondary">Withdrawn</span>', content)
    return content


class MoneyColumn(tables.Column):
    """A £ column, right-aligned, optionally with a footer total of the rows shown."""

    def __init__(self, *args, total=False, stated=False, **kwargs):
        self.show_total = total
        # Whether the table's `stated_total` (the document's own figure) belongs beside this column's total.
        self.beside_stated = stated
        attrs = {"td": {"class": "money"}, "th": {"class": "money"}, "tf": {"class": "money fw-semibold"}}
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return gbp(value)

    def value(self, value):
        return value

    def render_footer(self, bound_column, table):
        if not self.show_total:
            return ""
        # Withdrawn rows are listed but never added up.
        amounts = (bound_column.accessor.resolve(row) for row in table.data if not getattr(row, "is_withdrawn", False))
        if self.beside_stated:
            return total_with_stated(amounts, table.stated_total)
        return money_total(amounts)


def category_label(action):
    return action.category_text or action.get_category_display()


def latest_period(action):
    return action.latest_period and str(action.latest_period)


class ActionTable(tables.Table):
    reference = tables.Column(linkify=True, verbose_name="Ref", attrs={"td": {"class": "col-key"}})
    title = tables.Column(verbose_name="Action", attrs={"td": {"class": "col-title"}})
    plan = tables.Column(accessor="plan__partnership__name", verbose_name="Partnership")
    category = tables.Column(attrs={"td": {"class": "small"}})
    responsible = tables.Column(attrs={"td": {"class": "small"}})
    due_date = tables.DateColumn(format="j M Y", verbose_name="Due", attrs={"td": {"class": "col-date"}})
    # The status with its percentage beneath: one column instead of two keeps the Update button on screen.
    status = tables.Column(verbose_name="RAG status", attrs={"td": {"class": "col-key"}})
    updated_in_quarter = tables.BooleanColumn(verbose_name="Updated this quarter", orderable=False, yesno="Yes,No")
    update = tables.Column(
        accessor="pk", verbose_name="", orderable=False, exclude_from_export=True, attrs={"td": {"class": "col-action"}}
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
        self.detail_url = url_for_pk("plans:action_detail")
        self.update_url = url_for_pk("plans:action_update")
        self.next_query = urlencode(request_path)
        super().__init__(*args, **kwargs)

    # Each cell straight from its record (see plans.templatetags.sip_tables), "—" where django-tables2 would
    # show its default for an empty value.

    def cell_reference(self, record):
        if not record.reference:
            return EMPTY
        return format_html('<a href="{}">{}</a>', self.detail_url(record.pk), record.reference)

    def cell_title(self, record):
        if not record.title:
            return EMPTY
        own = record.own_text()
        link = format_html('<a href="{}">{}</a>', self.detail_url(record.pk), Truncator(own).chars(240))
        if own == record.title:
            return link
        return format_html('{}<span class="d-block small text-body-secondary mt-1">{}</span>', link, record.title)

    def cell_plan(self, record):
        partnership = record.plan.partnership
        if partnership.short_name == partnership.name:
            return partnership.name
        return format_html('<abbr title="{}">{}</abbr>', partnership.name, partnership.short_name)

    def cell_category(self, record):
        # The stated label stands in for the category's name, but only where a category is set.
        return category_label(record) if record.category else EMPTY

    def cell_responsible(self, record):
        return record.responsible or EMPTY

    def cell_due_date(self, record):
        return EMPTY if record.due_date is None else date(record.due_date, "j M Y")

    def cell_status(self, record):
        if not record.status:
            return EMPTY
        badge = with_withdrawn_badge(record, rag_badge(record.status, record.get_status_display()))
        percent = "—" if record.percent_complete is None else f"{record.percent_complete}%"
        return format_html(
            '<span id="status-{}">{}</span> <span class="d-block small mt-1" id="percent-{}">{}</span>',
            record.pk,
            badge,
            record.pk,
            percent,
        )

    def cell_updated_in_quarter(self, record):
        # The id lets an inline update swap in "Yes" without reloading the page.
        return format_html('<span id="updated-{}">{}</span>', record.pk, "Yes" if record.updated_in_quarter else "No")

    def cell_update(self, record):
        if not can_update(self.user, record):
            return ""
        url = self.update_url(record.pk)
        return format_html(
            '<a class="btn btn-sm btn-outline-primary text-nowrap" href="{}?next={}" hx-get="{}" '
            'hx-target="#update-dialog-body" aria-label="Update {}"><i class="bi bi-pencil-square" '
            'aria-hidden="true"></i> Update</a>\n',
            url,
            self.next_query,
            url,
            record.reference,
        )

    def value_title(self, record):
        return record.own_text()

    def value_updated_in_quarter(self, value):
        return "Yes" if value else "No"

    @staticmethod
    def export_columns():
        """The download: what a manager hands to a committee (needs `with_latest_update()`)."""
        return [
            ExportColumn("Ref", lambda a: a.reference, width=8),
            ExportColumn("Action", lambda a: a.own_text(), width=50),
            ExportColumn("Partnership", lambda a: a.plan.partnership.name, width=28),
            ExportColumn("Plan", lambda a: a.plan.title, width=30),
            ExportColumn("Plan year", lambda a: a.plan.period_label, width=12),
            ExportColumn("Category", category_label, width=18),
            ExportColumn("Responsible", lambda a: a.responsible, width=28),
            ExportColumn("Due", lambda a: a.due_date, kind="date", width=12),
            ExportColumn("RAG status", lambda a: a.get_status_display(), width=16),
            ExportColumn("Withdrawn", lambda a: a.is_withdrawn, kind="yesno", width=11),
            ExportColumn("% complete", lambda a: a.percent_complete, kind="number", width=11),
            ExportColumn("Updated this quarter", lambda a: a.updated_in_quarter, kind="yesno", width=11),
            ExportColumn("Latest update", latest_period, width=13),
            ExportColumn("Latest commentary", lambda a: a.latest_commentary, width=60),
        ]


def total_label(table):
    # No rows, no total: an empty table has nothing to add up.
    return "Total" if len(table.data) else ""


ABOUT = '{}<details class="small"><summary>About {}</summary><p class="text-prewrap mb-0 mt-1">{}</p></details>'


class BudgetLineTable(tables.Table):
    service = tables.Column(footer=total_label)

    def render_service(self, record):
        # What the plan says of the service, budget sentences included, where a reader looks.
        service = record.service
        if not service.description:
            return with_withdrawn_badge(record, service.name)
        return with_withdrawn_badge(record, format_html(ABOUT, service.name, service.name, service.description))

    def value_service(self, record):
        return record.service.name

    financial_year = tables.Column(accessor="financial_year_label", order_by="financial_year")
    amount = MoneyColumn(total=True, stated=True, verbose_name="Budget")
    amount_text = tables.Column(verbose_name="As stated")

    class Meta:
        model = BudgetLine
        fields = ["service", "financial_year", "amount", "amount_text"]
        empty_text = "This plan states no budget."

    def __init__(self, *args, stated_total=None, **kwargs):
        self.stated_total = stated_total
        super().__init__(*args, **kwargs)


class EfficiencyTable(tables.Table):
    number = tables.Column(verbose_name="No", footer=total_label)
    planned_saving = MoneyColumn(total=True, stated=True, verbose_name="Planned saving")
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

    def __init__(self, *args, stated_total=None, **kwargs):
        self.stated_total = stated_total
        super().__init__(*args, **kwargs)

    def render_option(self, record, value):
        return with_withdrawn_badge(record, value)

    def value_option(self, value):
        return value


class ContractTable(tables.Table):
    provider = tables.Column()
    annual_value = MoneyColumn(verbose_name="Annual value")

    class Meta:
        model = CommissionedService
        fields = ["provider", "service_name", "award_text", "term", "annual_value", "value_text"]
        empty_text = "No commissioned services are recorded for this plan."

    def render_service_name(self, record):
        if not record.description and not record.funding:
            return record.service_name
        about = "\n\n".join(
            text for text in (record.description, record.funding and f"Funding: {record.funding}") if text
        )
        return format_html(ABOUT, record.service_name, record.service_name, about)

    def value_service_name(self, record):
        return record.service_name

    def render_provider(self, record):
        return format_html(
            "<strong>{}</strong><br><span class='small text-body-secondary'>{}</span>", record.provider, record.heading
        )
