"""Reads for the dashboards and quarterly reports. They return plain data (dicts, lists, numbers).

Every figure is computed in a fixed number of queries, whatever the number of
actions, updates or measures, so that dashboards stay fast as plans grow.
Split by concern: quarters, measures and money, action summaries and dashboards, reports.
"""

from dashboard.selectors.measures import (
    indicator_summary,
    measure_summary,
    measures_for_list,
    money_summary,
    result_years,
)
from dashboard.selectors.overview import overview, overview_quarter_plans
from dashboard.selectors.quarters import (
    default_quarter,
    default_year,
    plans_of_year,
    quarter_choices,
    year_choices,
    year_quarters,
)
from dashboard.selectors.reports import (
    closed_quarters,
    closed_quarters_since,
    report_comparison,
    report_content,
    report_for_page,
    report_for_quarter,
    report_live_content,
    reports_for_plan,
)
from dashboard.selectors.summaries import (
    RAG_RANK,
    action_summary,
    completion,
    moved_actions,
    partnership_dashboard,
    plan_dashboard,
    plans_action_summary,
    stated_completion,
    theme_summary,
)

__all__ = [
    "year_quarters",
    "year_choices",
    "plans_of_year",
    "default_year",
    "RAG_RANK",
    "action_summary",
    "closed_quarters",
    "closed_quarters_since",
    "completion",
    "default_quarter",
    "indicator_summary",
    "measure_summary",
    "measures_for_list",
    "money_summary",
    "moved_actions",
    "overview",
    "overview_quarter_plans",
    "partnership_dashboard",
    "plan_dashboard",
    "plans_action_summary",
    "quarter_choices",
    "report_comparison",
    "report_content",
    "report_for_page",
    "report_for_quarter",
    "report_live_content",
    "reports_for_plan",
    "result_years",
    "stated_completion",
    "theme_summary",
]
