"""Fast inserts for large imports, with their audit-trail rows.

Django's bulk_create compiles every value of every row through the ORM, which
for a 10,000-action plan costs several seconds. Here each batch is one
executemany with values prepared once per field type, and the matching
django-simple-history rows are written the same way, so imported records keep
their history ("+", who, when and why) at a fraction of the cost.
"""

import json

from django.db import connections, models, router
from django.utils import timezone

from sipportal.services import model_update

BATCH = 2000


def _converter(field, connection):
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, cls=field.encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None


def _insert(model, rows_of_values, fields):
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    converters = [_converter(field, connection) for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows_of_values), BATCH):
            batch = [
                [value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True)]
                for row in rows_of_values[start : start + BATCH]
            ]
            cursor.executemany(sql, batch)


def insert(model, objects):
    """INSERT new objects (without primary keys). Their keys are not set: look them up afterwards."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    _insert(model, [[getattr(obj, f.attname) for f in fields] for obj in objects], fields)


def insert_values(model, field_names, rows):
    """INSERT plain rows (lists of values in `field_names` order) without building model instances."""
    if rows:
        _insert(model, rows, [model._meta.get_field(name) for name in field_names])


def add_history(model, objects, *, user, reason, history_type="+"):
    """Write django-simple-history rows for objects that now have primary keys."""
    history_model = model.history.model
    history_fields = [f for f in history_model._meta.concrete_fields if f.name != "history_id"]
    extra = {
        "history_date": timezone.now(),
        "history_user_id": user.pk if user else None,
        "history_type": history_type,
        "history_change_reason": reason[:100],
    }
    rows = [
        [extra[f.attname] if f.attname in extra else getattr(obj, f.attname) for f in history_fields] for obj in objects
    ]
    _insert(history_model, rows, history_fields)


def assign(obj, values):
    """Set the fields that differ. Returns True if anything changed.

    The workbook's columns have already parsed and bounded every value (a problem is reported
    with its sheet, row and column), so the fields are not validated again here.
    """
    return bool(model_update(obj, values, validate=False))
