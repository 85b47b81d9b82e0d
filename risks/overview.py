"""What the risk register adds to the partnership and plan pages' counts."""

from plans.dataversion import watch_app
from plans.selectors import OVERVIEW_COUNTS, PARTNERSHIP_COUNTS, PLAN_COUNTS, PLAN_SECTIONS, register_count
from risks.models import Risk

register_count(PARTNERSHIP_COUNTS, "open_risk_count", lambda: Risk.objects.current().open(), "partnership")
register_count(PLAN_COUNTS, "risk_count", Risk.objects.in_force, "plan")
register_count(PLAN_SECTIONS, "risks", Risk.objects.in_force, "plan")
register_count(OVERVIEW_COUNTS, "open_risks", lambda: Risk.objects.counted().open(), "partnership")
# Called on every read, so "overdue" is against that day.
register_count(OVERVIEW_COUNTS, "overdue_reviews", lambda: Risk.objects.counted().review_overdue(), "partnership")
# Writes to its models change the data version the dashboards cache under.
watch_app("risks")
