"""Recognise a Word table by its header row and map its columns by meaning.

Each section lists, per workbook column, the phrases a plan's author may head it with. A header
cell matches a phrase when the phrase's words appear in it in order, so case, punctuation and
extra words do not matter ("Lead Responsibility", "Responsible Officer"). The template's own
headings always match, so a workbook's sheet pasted into Word reads back as it was.
"""

import re
from dataclasses import dataclass

from plans.wordimport.document import normalise
from plans.workbook.schema import sheet_named

YEAR = re.compile(r"(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})")
RESULT_WORDS = {"result", "results", "actual", "actuals", "outturn", "performance"}

SYNONYMS = {
    "Actions": {
        "reference": ("ref", "reference", "action no", "action number"),
        "title": (
            "theme and outcome",
            "area for improvement",
            "improvement area",
            "outcome",
            "priority",
            "objective",
            "theme",
            "what we want to achieve",
        ),
        "steps": ("action", "actions", "action steps", "steps", "what we will do", "key actions", "tasks"),
        "responsible": ("responsible", "responsibility", "lead", "lead officer", "owner", "who"),
        "timescale_text": ("timescale", "timescales", "target date", "by when", "deadline", "completion date", "when"),
        "indicators": ("performance indicator", "performance indicators", "indicator", "indicators", "pi", "pis"),
    },
    "Measures": {
        "theme": ("dashboard theme", "theme"),
        "title": ("measure", "measures", "performance indicator", "indicator", "pi", "kpi"),
        "target_text": ("target", "targets"),
    },
    "Budget": {
        "service": ("service", "services", "service area", "budget line"),
        "amount": ("budget", "amount", "allocation", "budget £"),
    },
    "Efficiencies": {
        "number": ("no", "number", "ref"),
        "division": ("division of service", "division"),
        "option": ("option", "options", "efficiency", "proposal"),
        "planned_saving": ("saving", "savings", "planned saving"),
        "comments": ("comments", "additional comments", "notes"),
        "management_action": ("management action", "management action or consultation"),
    },
    "Risks": {
        "reference": ("ref", "reference", "risk no", "risk number"),
        "title": ("risk", "risks", "description of the risk", "risk description"),
        "current_mitigations": ("mitigation", "mitigations", "mitigating", "mitigate", "controls", "current measures"),
        "owner": ("owner", "risk owner"),
    },
    "Contracts": {"provider": ("provider", "organisation"), "service_name": ("service", "contracted service")},
    "Highlights": {},
}
# The columns a table must have to be read as the section.
SIGNATURES = {
    "Actions": {"steps"},
    "Measures": {"title", "target_text"},
    "Budget": {"service", "amount"},
    "Efficiencies": {"option", "planned_saving"},
    "Risks": {"title", "current_mitigations"},
    "Contracts": {"provider", "service_name"},
    "Highlights": {"section", "text"},
}
# The facts a two-column "plan details" table may give, by the label in its first column.
PLAN_LABELS = {
    "partnership": ("partnership",),
    "kind": ("kind", "kind of plan", "type of plan", "plan type"),
    "title": ("title", "plan title", "plan"),
    "start_year": ("first financial year", "financial year", "plan year", "year"),
    "end_year": ("last financial year",),
    "status": ("status",),
    "service_area": ("service area", "service"),
    "summary": ("summary",),
    "source_document": ("source document",),
    "source_title": ("source title",),
    "source_date": ("source date", "date"),
    "author": ("author", "prepared by"),
    "budget_note": ("budget note",),
    "source_notes": ("notes on the source",),
    "budget_total_stated": ("budget total as stated £", "budget total as stated", "total budget as stated"),
    "efficiencies_total_stated": ("savings total as stated £", "savings total as stated", "total savings as stated"),
}


@dataclass
class Layout:
    """How one table is read: its section, header row and {column index: workbook column key}."""

    section: str
    header_row: int
    columns: dict
    result_years: dict  # Measures: {column index: financial year it reports}
    target_year: int | None = None
    budget_year: int | None = None


def _phrases(section):
    """{key: [(phrase words, exact)]}: the template heading (exact) and the section's synonyms."""
    phrases = {}
    for column in sheet_named(section).columns:
        phrases.setdefault(column.key, []).append((tuple(normalise(column.header).split()), True))
    for key, synonyms in SYNONYMS[section].items():
        phrases.setdefault(key, []).extend((tuple(phrase.split()), False) for phrase in synonyms)
    return phrases


def _contains(words, phrase):
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def map_columns(headers, phrases):
    """{column index: key}: the strongest matches first, each column and key used once."""
    candidates = []
    for index, header in enumerate(headers):
        words = tuple(normalise(header).split())
        for key, options in phrases.items():
            for phrase, exact in options:
                if words == phrase:
                    candidates.append((3 if exact else 2, len(phrase), -index, index, key))
                elif _contains(words, phrase):
                    candidates.append((1, len(phrase), -index, index, key))
    mapping, used = {}, set()
    for *_, index, key in sorted(candidates, reverse=True):
        if index not in mapping and key not in used:
            mapping[index] = key
            used.add(key)
    return mapping


def _year(text):
    match = YEAR.search(text)
    return int(match.group(1)) if match else None


def _result_years(headers, mapping):
    years = {}
    for index, header in enumerate(headers):
        words = set(normalise(header).split())
        if index not in mapping and _year(header) and (words & RESULT_WORDS or len(words) <= 2):
            years[index] = _year(header)
    return years


def recognise(grid):
    """The Layout of a Grid, or None. The header is the first of its opening rows a section recognises."""
    for header_row, headers in enumerate(grid.rows[:3]):
        if grid.spanning[header_row]:
            continue
        distinct = [text if i == 0 or text != headers[i - 1] else "" for i, text in enumerate(headers)]
        best = None
        for section in SIGNATURES:
            mapping = map_columns(distinct, _phrases(section))
            results = _result_years(distinct, mapping) if section == "Measures" else {}
            if not SIGNATURES[section] <= set(mapping.values()):
                continue
            if best is None or len(mapping) + len(results) > len(best.columns) + len(best.result_years):
                best = Layout(section, header_row, mapping, results)
        if best:
            years = {key: _year(distinct[i]) for i, key in best.columns.items()}
            best.target_year = years.get("target_text")
            best.budget_year = years.get("amount")
            return best
    return None


LABEL_KEYS = {label: key for key, labels in PLAN_LABELS.items() for label in labels}


def plan_details(grid):
    """{plan key: text} if the table is a two-column list of plan facts (by exact label), else None."""
    if grid.width != 2:
        return None
    facts = {}
    for row, spanning in zip(grid.rows, grid.spanning, strict=True):
        key = None if spanning or len(row) != 2 else LABEL_KEYS.get(normalise(row[0]))
        if key and key not in facts:
            facts[key] = row[1]
    return facts if len(facts) >= 2 else None
