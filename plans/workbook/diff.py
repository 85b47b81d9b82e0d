"""What a re-import would change, field by field, in words people read: the preview's rows.

Nothing here touches the database; `conflicts` decides which of these changes are written.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from plans.periods import financial_year_label
from plans.workbook import cells
from plans.workbook.stamps import canonical

EMPTY = "(empty)"


@dataclass
class FieldChange:
    """One field whose value in the file differs from the app's."""

    header: str
    key: str
    old: str  # in SIP Portal now
    new: str  # in the file
    conflict: bool = False  # changed in SIP Portal after the file was exported: the app's value is kept unless chosen
    choice: str = ""  # the id of the checkbox that takes the file's value


@dataclass
class RowChange:
    """One row of the file (or of the plan, when the file leaves it out) and what the import does with it."""

    sheet: str
    key: str
    label: str
    kind: str  # created, updated, conflict, reinstated, missing or unchanged
    choice: str = ""  # the id of the row's checkbox: take all the file's values, or withdraw a missing row
    fields: list = field(default_factory=list)
    not_imported: list = field(default_factory=list)  # history the file states differently; never written
    withdrawable: bool = False
    note: str = ""  # why the history the file states differently is not imported

    @property
    def listed(self):
        """Rows the preview lists: anything but an unchanged row with nothing to say."""
        return self.kind != "unchanged" or bool(self.not_imported)

    def as_data(self):
        return asdict(self)


def shown(column, value):
    """A parsed cell value as the preview shows it: labels for choices, UK dates, £ amounts."""
    if value in (None, "", []):
        return EMPTY
    if column.choices:
        return dict(column.choices).get(value, str(value))
    if column.parse is cells.financial_year and isinstance(value, int):
        return financial_year_label(value)
    if column.parse is cells.percent and isinstance(value, int):
        return f"{value}%"
    if isinstance(value, list):
        return "\n".join(f"• {item}" for item in value)
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if column.parse is cells.money and isinstance(value, Decimal):
        return f"£{value:,.2f}".removesuffix(".00")
    return canonical(value)


def same(value, other, *, ignore_case=False):
    first, second = canonical(value), canonical(other)
    return first.lower() == second.lower() if ignore_case else first == second


def row_label(values):
    """A few words that say which row it is, besides its key."""
    for key in ("title", "option", "service_name"):
        if values.get(key):
            return str(values[key])[:120]
    return ""


def fingerprint_data(changes, *, plan_pk, plan_match):
    """Everything a preview showed, to check at confirm time that the import still does just that."""
    return {"plan": plan_pk, "match": plan_match, "changes": [change.as_data() for change in changes]}


def replaced_as_a_whole(sheet, old_items, new_items):
    """A sheet replaced as a whole (Highlights): one change listing what it held and what it will hold."""
    old = "\n".join(f"• {item}" for item in old_items) or EMPTY
    new = "\n".join(f"• {item}" for item in new_items) or EMPTY
    return RowChange(
        sheet, f"All {sheet.lower()}", "Replaced as a whole", "updated", fields=[FieldChange(sheet, "all", old, new)]
    )
