import django_tables2 as tables
from django.utils.html import format_html

from plans.tables import rendered, with_withdrawn_badge
from risks.models import Risk
from sipportal.exports import ExportColumn


def score_label(risk):
    return "Not yet scored" if risk.score is None else f"{risk.score} ({risk.level.label})"


def target_label(risk):
    return "Not yet scored" if risk.target_score is None else f"{risk.target_score}"


class RiskTable(tables.Table):
    reference = tables.Column(linkify=True, verbose_name="Ref")
    title = tables.Column(linkify=True, verbose_name="Risk")
    plan = tables.Column(accessor="plan__title", verbose_name="Plan")
    owner = tables.Column(empty_values=())
    mitigation_count = tables.Column(verbose_name="Mitigations", attrs={"td": {"class": "col-number"}})
    score = tables.Column(accessor="pk", verbose_name="Current score", orderable=False)
    target = tables.Column(accessor="pk", verbose_name="Target score", orderable=False)
    review_date = tables.DateColumn(format="j M Y", verbose_name="Review by", attrs={"td": {"class": "col-date"}})

    class Meta:
        model = Risk
        fields = ["reference", "title", "plan", "owner", "mitigation_count", "score", "target", "review_date", "status"]
        empty_text = "No risks match."
        attrs = {"class": "table table-hover align-middle table-stack", "thead": {"class": "table-light"}}

    @staticmethod
    def export_columns():
        return [
            ExportColumn("Ref", lambda r: r.reference, width=8),
            ExportColumn("Risk", lambda r: r.title, width=50),
            ExportColumn("Plan", lambda r: r.plan.title if r.plan else None, width=30),
            ExportColumn("Plan year", lambda r: r.plan.period_label if r.plan else None, width=12),
            ExportColumn("Owner", lambda r: r.owner, width=24),
            ExportColumn("Mitigations", lambda r: r.mitigation_count, kind="number", width=12),
            ExportColumn("Current score", score_label, width=16),
            ExportColumn("Target score", target_label, width=14),
            ExportColumn("Review by", lambda r: r.review_date, kind="date", width=12),
            ExportColumn("Status", lambda r: r.get_status_display(), width=10),
        ]

    def render_plan(self, record):
        # Titles repeat from year to year: the year tells a carried risk from its predecessor.
        return f"{record.plan.title} · {record.plan.period_label}"

    def value_plan(self, record):
        return self.render_plan(record)

    def render_status(self, record):
        return with_withdrawn_badge(record, record.get_status_display())

    def render_score(self, record):
        return rendered("includes/badges.html#risk_level", level=record.level, score=record.score)

    def render_owner(self, record):
        # The owner a review named (a person in SIP Portal) before the owner the source document states.
        if record.owner_user:
            return record.owner_user.get_full_name() or record.owner_user.get_username()
        return record.owner or "Not stated"

    def value_owner(self, record):
        return self.render_owner(record)

    def render_target(self, record):
        return target_label(record)

    def render_review_date(self, record, value):
        if value is None:
            return "Not stated"
        if record.is_review_overdue():
            return format_html('{} <span class="badge text-bg-danger">Overdue</span>', value.strftime("%-d %b %Y"))
        return value.strftime("%-d %b %Y")
