"""What the risk register adds to the partnership and plan pages' counts."""

from plans.selectors import PARTNERSHIP_COUNTS, PLAN_COUNTS, PLAN_SECTIONS, register_count
from risks.models import Risk

register_count(PARTNERSHIP_COUNTS, "open_risk_count", lambda: Risk.objects.current().open(), "partnership")
register_count(PLAN_COUNTS, "risk_count", Risk.objects.in_force, "plan")
register_count(PLAN_SECTIONS, "risks", Risk.objects.in_force, "plan")
