"""Write helpers shared by every app's services."""


def model_update(instance, data, *, validate=True):
    """Set the fields in `data` whose values differ from `instance`'s, and return their names.

    The changed fields are validated (ValidationError if a value does not fit its field); the
    instance is not saved, so the caller decides how (save, bulk update, history reason).
    """
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, data[name])
    if validate and changed:
        unchanged = [field.name for field in instance._meta.fields if field.name not in changed]
        instance.clean_fields(exclude=unchanged)
    return changed
