"""Updating records only where their values change.

Every save of an audited record writes a row of its history, and the audit trail shows
that row as "Changed". Loading the same partnership file again must not write history
with nothing changed, so the loaders save a record only when a value differs from what
the database holds (compared as it would be stored: 12.5 and 12.50 are the same amount).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models, transaction
from django.db.models import Field


def update_or_create_changed(model, *, defaults, **lookup):
    """The record matching `lookup`, created with `defaults` or updated to them; returns
    (record, created). Like `QuerySet.update_or_create`, except that an existing record
    is saved only when one of `defaults` differs from what it holds."""
    with transaction.atomic():
        record, created = model._default_manager.select_for_update().get_or_create(
            defaults=defaults, **lookup
        )
        if not created:
            save_if_changed(record, defaults)
    return record, created


def save_if_changed(record, values) -> bool:
    """Set the record's fields to `values` ({field name: value}) and save it, if any of
    them differs from what it holds; returns whether it was saved."""
    changed = set_changed(record, values)
    if not changed:
        return False
    record.save(update_fields=changed + _set_on_save(record, changed))
    return True


def set_changed(record, values) -> list[str]:
    """Set each field whose stored value would differ; returns their names."""
    changed = []
    for name, value in values.items():
        field = record._meta.get_field(name)
        if field.is_relation:
            current = getattr(record, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
            differs = stored(field.target_field, wanted) != current
        else:
            differs = stored(field, value) != getattr(record, field.attname)
        if differs:
            setattr(record, name, value)
            changed.append(field.name)
    return changed


def stored(field, value):
    """The value as the database gives it back: a decimal rounded to the field's places."""
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(field, models.DecimalField):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places), rounding=ROUND_HALF_UP)
    return value


def _set_on_save(record, changed):
    # Fields that set themselves when saved (auto_now), as QuerySet.update_or_create does.
    return [
        field.name
        for field in record._meta.local_concrete_fields
        if not field.primary_key
        and field.name not in changed
        and type(field).pre_save is not Field.pre_save
    ]
