"""The dashboard's sheet of the plan-year workbook: quality measures and their yearly results."""

from dashboard.choices import DashboardTheme, MeasureDirection, MeasureUnit, ResultState
from dashboard.models import MeasureResult, QualityMeasure
from plans.periods import financial_year_label
from plans.workbook import cells
from plans.workbook.importer import assign
from plans.workbook.schema import Column, Sheet, choice_column, register

NOT_YET_AVAILABLE = {"final result not yet available", "not yet available", "n/a", "not available"}
TBC = {"tbc", "to be confirmed"}


def _result_state(raw):
    text = cells.text(raw)
    if text.lower() in NOT_YET_AVAILABLE:
        return ResultState.NOT_YET_AVAILABLE, None, text
    if text.lower() in TBC:
        return ResultState.TBC, None, text
    try:
        return ResultState.VALUE, cells.number(raw), text
    except cells.CellError:
        return ResultState.VALUE, None, text  # a stated result that is not one figure ("5 errors involving 8 staff")


def _target_value(target_text):
    try:
        return cells.number(target_text)
    except cells.CellError:
        return None  # a directional target ("Reduce") or words ("0.67 per month" keeps its text only)


def _write_results(measure, current, results):
    """Create, update or delete the measure's yearly results. Returns True if any changed."""
    changed = False
    for year, raw in results.items():
        if cells.text(raw) == "":
            if year in current:
                current.pop(year).delete()
                changed = True
            continue
        state, value, text = _result_state(raw)
        result = current.pop(year, None)
        if result is None:
            MeasureResult.objects.create(
                measure=measure, financial_year=year, state=state, value=value, value_text=text
            )
            changed = True
        elif assign(result, {"state": state, "value": value, "value_text": text}):
            result.save()
            changed = True
    return changed


def _results_too_long(importer, row):
    """Report results longer than the field holds (a figure like 1e200 spelled out): PostgreSQL would refuse them."""
    limit = MeasureResult._meta.get_field("value_text").max_length
    too_long = [year for year, raw in row.results.items() if len(cells.text(raw)) > limit]
    for year in too_long:
        message = f"This result is longer than {limit} characters."
        importer.problem("Measures", row.number, f"{financial_year_label(year)} result", message)
    return bool(too_long)


def write_measures(importer, rows):
    existing = {
        m.title.lower(): m for m in QualityMeasure.objects.filter(plan=importer.plan).prefetch_related("results")
    }
    for order, row in enumerate(rows, start=1):
        if _results_too_long(importer, row):
            continue
        values = dict(row.values) | {"order": order if row.order is None else row.order}
        if values["target_value"] is None:
            values["target_value"] = _target_value(values["target_text"])
        measure = existing.get(values["title"].lower())
        if measure is None:
            measure = QualityMeasure.objects.create(plan=importer.plan, **values)
            outcome, current = "created", {}
        else:
            outcome = "updated" if assign(measure, values) else "unchanged"
            if outcome == "updated":
                measure.save()
            current = {r.financial_year: r for r in measure.results.all()}
        if _write_results(measure, current, row.results) and outcome == "unchanged":
            outcome = "updated"
        importer.count("Measures", outcome)


def _measures_of(plan):
    return list(QualityMeasure.objects.filter(plan=plan).prefetch_related("results").order_by("order"))


def _result_columns(measures):
    years = sorted({r.financial_year for m in measures for r in m.results.all()})

    def cells_of(measure):
        by_year = {r.financial_year: r.value_text for r in measure.results.all()}
        return [by_year.get(year, "") for year in years]

    return [f"{financial_year_label(year)} result" for year in years], cells_of


# How plans word a measure's direction. "Improve" names no direction, so it is "Reach target": the aim
# then runs from the first result towards the target, as the dashboard already reads that choice.
DIRECTION_WORDS = (
    ("Reduction", MeasureDirection.REDUCE),
    ("Decrease", MeasureDirection.REDUCE),
    ("Lower", MeasureDirection.REDUCE),
    ("Lower is better", MeasureDirection.REDUCE),
    ("Down", MeasureDirection.REDUCE),
    ("Higher", MeasureDirection.INCREASE),
    ("Higher is better", MeasureDirection.INCREASE),
    ("Up", MeasureDirection.INCREASE),
    ("Improve", MeasureDirection.REACH_TARGET),
    ("Improvement", MeasureDirection.REACH_TARGET),
    ("Maintain", MeasureDirection.REACH_TARGET),
)

MEASURES = register(
    Sheet(
        "Measures",
        (
            choice_column(
                "Dashboard theme",
                "theme",
                DashboardTheme.choices,
                "dashboard theme",
                note="Leave empty where the plan has none (CPP plans, LOIPs).",
            ),
            Column("Measure", "title", required=True),
            choice_column("Unit", "unit", MeasureUnit.choices, "unit", note="Leave empty if the plan states none."),
            choice_column(
                "Direction",
                "direction",
                MeasureDirection.choices,
                "direction",
                aliases=DIRECTION_WORDS,
                required=True,
                note="Increase, Reduce or Reach target; Reduction, Decrease, Lower, Higher and Improve are read too.",
            ),
            Column("Target", "target_text", required=True, note="'90%', '0.67 per month', 'Reduce' or 'Increase'."),
            Column(
                "Target figure",
                "target_value",
                cells.number,
                note="Optional: the target as a number, if the Target is not one already.",
            ),
            Column("Target year", "target_year", cells.financial_year),
            Column("Baseline note", "baseline_note"),
        ),
        "One row per measure. Add a column per year headed like '2019/20 result'.",
        required=False,
        result_columns=True,
        example={
            "Dashboard theme": "Process",
            "Measure": "Percentage of child protection decisions within standard timescales",
            "Unit": "Percentage",
            "Direction": "Reach target",
            "Target": "90%",
            "Target year": "2021/22",
        },
        natural_key=("title",),
        model="dashboard.QualityMeasure",
        position=30,
        objects=_measures_of,
        extra_columns=_result_columns,
        write=write_measures,
    )
)
