"""What the dashboard adds to the plan pages' counts, and the quarters its sign-off closes."""

from dashboard.models import Indicator, QualityMeasure, QuarterlyReport
from dashboard.selectors import closed_quarters, closed_quarters_since
from plans.dataversion import watch_app
from plans.periods import register_closed_quarters
from plans.selectors import PLAN_COUNTS, PLAN_SECTIONS, register_count

register_count(PLAN_COUNTS, "measure_count", QualityMeasure.objects.in_force, "plan")
register_count(PLAN_SECTIONS, "measures", QualityMeasure.objects.in_force, "plan")
register_count(PLAN_SECTIONS, "indicators", Indicator.objects.all, "plan")
register_count(PLAN_SECTIONS, "reports", QuarterlyReport.objects.all, "plan")
# A signed-off quarterly report closes its quarter: plans then refuses updates to it.
register_closed_quarters(closed_quarters, since=closed_quarters_since)
# Writes to its models change the data version the dashboards cache under.
watch_app("dashboard")
