"""Reading cell values the way people type them in Word-born spreadsheets.

Each parser takes a raw cell value (str, int, float, datetime or None) and
returns a Python value or raises CellError with a plain-English message.
"""

import datetime
import re
from decimal import Decimal, DecimalException
from functools import lru_cache

BULLETS = "•◦○▪‣·*-–—"
CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
UK_DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y"]


# The largest figures the database columns hold (12 digits with 2 decimal places).
MONEY_LIMIT = Decimal("1e10")
NUMBER_LIMIT = Decimal("1e10")


class CellError(ValueError):
    pass


def _bounded(figure):
    """Refuse absurd exponents before any arithmetic: '1e999999999' would otherwise overflow or stall."""
    if figure.is_finite() and figure != 0 and abs(figure.adjusted()) > 15:
        raise DecimalException("out of range")
    return figure


def text(value):
    """Any value as trimmed text; None and blanks become ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def number_list(value):
    """A list of whole numbers as one text, "1, 3, 14": "3;1", "1,3" and "1, 3" read alike.

    Text that is not such a list is kept as written, for the importer to report.
    """
    written = text(value)
    parts = [part.strip() for part in written.replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        return written
    return ", ".join(str(number) for number in sorted({int(part) for part in parts}))


def lines(value):
    """A multi-line cell as a list of items, without their bullets ("•", "-", "○", ...)."""
    items = []
    for line in text(value).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        item = line.strip()
        while item and item[0] in BULLETS and (len(item) == 1 or item[1] == " " or item[0] in "•◦○▪‣·"):
            item = item[1:].strip()
        if item:
            items.append(item)
    return items


def money(value):
    """'£120,000', '120000', 120000.0 -> Decimal('120000'). Negative amounts are refused."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"'{text(value)}' is not an amount of money, like £120,000.")
    if isinstance(value, (int, float)):
        amount = Decimal(str(value))
    else:
        cleaned = text(value).replace("£", "").replace(",", "").replace(" ", "")
        multiplier = Decimal(1)
        if cleaned.lower().endswith("m"):
            cleaned, multiplier = cleaned[:-1], Decimal(1_000_000)
        elif cleaned.lower().endswith("k"):
            cleaned, multiplier = cleaned[:-1], Decimal(1_000)
        try:
            amount = _bounded(Decimal(cleaned)) * multiplier
        except DecimalException:
            raise CellError(f"'{text(value)}' is not an amount of money, like £120,000.") from None
    if not amount.is_finite() or abs(amount) >= MONEY_LIMIT:
        raise CellError(f"'{text(value)}' is not an amount of money, like £120,000.")
    if amount < 0:
        raise CellError(f"'{text(value)}' is negative; amounts must be zero or more.")
    return amount.quantize(Decimal("0.01"))


def number(value):
    """A plain or percentage figure as Decimal: '30.7%' -> 30.7, 0.93 -> 0.93."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"'{text(value)}' is not a number.")
    try:
        raw = str(value) if isinstance(value, (int, float)) else text(value).replace(",", "").rstrip("%").strip()
        figure = _bounded(Decimal(raw))
    except DecimalException:
        raise CellError(f"'{text(value)}' is not a number.") from None
    if not figure.is_finite() or abs(figure) >= NUMBER_LIMIT:
        raise CellError(f"'{text(value)}' is not a number we can store.")
    return figure


def percent(value):
    """A whole percentage 0-100: '90%', 90, or a fraction 0.9 (how Excel stores a % cell).

    Without a % sign, a figure from 0 to 1 is a fraction: 0.4 is 40% and 1 is 100%.
    Write '1%' for one per cent.
    """
    if isinstance(value, bool):
        _not_a_percent(value)
    raw = text(value)
    if raw == "":
        return None
    try:
        figure = Decimal(str(value)) if isinstance(value, (int, float)) else Decimal(raw.rstrip("%").strip())
    except DecimalException:
        _not_a_percent(raw)
    if not figure.is_finite():
        _not_a_percent(raw)
    if not raw.endswith("%") and 0 < figure <= 1:
        figure *= 100
    if not 0 <= figure <= 100:
        raise CellError(f"{figure}% is outside 0% to 100%.")
    return int(figure.to_integral_value())


def _not_a_percent(raw):
    raise CellError(f"'{raw}' is not a percentage like 40% or 0.4.")


def date(value):
    """A date from an Excel date cell, UK text ('31/03/2021', '31 March 2021') or ISO ('2021-03-31')."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        pass
    for date_format in UK_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, date_format).date()
        except ValueError:
            continue
    raise CellError(f"'{raw}' is not a date. Use 31/03/2021, 31 March 2021 or 2021-03-31.")


def financial_year(value):
    """'2020/21', '2020-21', 2020 -> 2020 (the year the financial year starts)."""
    raw = text(value)
    match = re.fullmatch(r"(\d{4})(?:\s*[/\-–]\s*(\d{2}|\d{4}))?", raw)
    if not match:
        raise CellError(f"'{raw}' is not a financial year like 2020/21.")
    start = int(match.group(1))
    if match.group(2) and int(match.group(2)[-2:]) != (start + 1) % 100:
        raise CellError(f"'{raw}' is not a financial year: the second year must follow the first.")
    return start


@lru_cache(maxsize=8192)
def _normal(item):
    return re.sub(r"\s+", " ", item.translate(CURLY).lower().replace("&", "and")).strip()


@lru_cache(maxsize=64)
def _choice_lookup(choices, aliases=()):
    lookup = {_normal(word): code for word, code in aliases}
    for code, name in choices:
        lookup[_normal(code)] = code
        lookup[_normal(name)] = code
    return lookup


def choice(value, choices, *, label, aliases=()):
    """Match a label or code case-insensitively, ignoring '&'/'and' and curly quotes.

    `aliases` are other words plans use for a choice, as (word, code) pairs: ("Reduction", "reduce").
    """
    raw = text(value)
    if raw == "":
        return ""
    code = _choice_lookup(tuple(choices), tuple(aliases)).get(_normal(raw))
    if code is None:
        allowed = ", ".join(name for _, name in choices)
        raise CellError(f"'{raw}' is not a {label}. Use one of: {allowed}.")
    return code


def whole_number(value, *, low=None, high=None):
    if value is None or text(value) == "":
        return None
    try:
        exact = _bounded(Decimal(text(value)))
    except DecimalException:
        raise CellError(f"'{text(value)[:20]}' is not a whole number.") from None
    if not exact.is_finite() or exact != exact.to_integral_value():
        raise CellError(f"'{text(value)}' is not a whole number.")
    figure = int(exact)
    if (low is not None and figure < low) or (high is not None and figure > high):
        raise CellError(f"{figure} is outside {low} to {high}.")
    return figure


# Parsers whose blank cell is '' (or []), not None.
TEXT_PARSERS = (text, lines, number_list)
