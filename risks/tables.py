import django_tables2 as tables
from django.utils.html import format_html

from plans.tables import rendered
from risks.models import Risk


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
        return "Not yet scored" if record.target_score is None else f"{record.target_score}"

    def value_score(self, record):
        return "Not yet scored" if record.score is None else f"{record.score} ({record.level.label})"

    def value_target(self, record):
        return self.render_target(record)

    def render_review_date(self, record, value):
        if value is None:
            return "Not stated"
        if record.is_review_overdue():
            return format_html('{} <span class="badge text-bg-danger">Overdue</span>', value.strftime("%-d %b %Y"))
        return value.strftime("%-d %b %Y")
