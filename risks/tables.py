import django_tables2 as tables

from risks.models import Risk


class RiskTable(tables.Table):
    reference = tables.Column(linkify=True, verbose_name="Ref")
    title = tables.Column(linkify=True, verbose_name="Risk")
    mitigation_count = tables.Column(verbose_name="Mitigations", attrs={"td": {"class": "col-number"}})
    score = tables.Column(accessor="pk", verbose_name="Current score", orderable=False)
    review_date = tables.DateColumn(format="j M Y", verbose_name="Review by")

    class Meta:
        model = Risk
        fields = ["reference", "title", "owner", "mitigation_count", "score", "review_date", "status"]
        empty_text = "No risks are recorded."

    def render_score(self, record):
        if not record.is_scored:
            return "Not yet scored"
        return f"{record.likelihood} × {record.impact} = {record.likelihood * record.impact}"

    def value_score(self, record):
        return self.render_score(record)
