"""Reading the audit trail: recent events across every tracked model, and one record's history."""

from dataclasses import dataclass
from datetime import datetime

import pghistory.models
from django.apps import apps
from django.db import models
from django.http import Http404

from accounts.models import User


@dataclass(frozen=True)
class AuditEntry:
    happened_at: datetime
    action: str
    model_label: str
    object_id: str
    changes: dict
    actor_name: str
    url: str


def tracked_models() -> dict[str, type[models.Model]]:
    """Every model with an event table, keyed by its label (``accounts.User``)."""
    found = {}
    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event) and model.pgh_tracked_model:
            tracked = model.pgh_tracked_model
            found[tracked._meta.label] = tracked
    return found


def _entries(events) -> list[AuditEntry]:
    rows = list(events)
    actor_ids = {
        (row.pgh_context or {}).get("user") for row in rows if (row.pgh_context or {}).get("user")
    }
    names = dict(User.objects.filter(pk__in=actor_ids).values_list("pk", "full_name"))
    entries = []
    for row in rows:
        context = row.pgh_context or {}
        actor = context.get("user")
        entries.append(
            AuditEntry(
                happened_at=row.pgh_created_at,
                action=row.pgh_label,
                model_label=row.pgh_obj_model,
                object_id=str(row.pgh_obj_id),
                changes=_readable_changes(row),
                actor_name=names.get(actor, "System") if actor else "System",
                url=context.get("url", ""),
            )
        )
    return entries


_NOT_SHOWN = {"id", "version"}


def _readable_changes(row) -> dict:
    """What the event set: new values for an update, the whole record for an insert."""
    if row.pgh_diff:
        changed = {field: values[1] for field, values in row.pgh_diff.items()}
    elif row.pgh_label == "insert" and row.pgh_data:
        changed = dict(row.pgh_data)
    else:
        changed = {}
    return {field: value for field, value in changed.items() if field not in _NOT_SHOWN}


def recent_entries(limit: int = 50) -> list[AuditEntry]:
    events = pghistory.models.Events.objects.order_by("-pgh_created_at")[:limit]
    return _entries(events)


def history_of(model_label: str, object_id: int) -> list[AuditEntry]:
    """Every event for one record, oldest first; 404 for an untracked model or unknown record."""
    model = tracked_models().get(model_label)
    if model is None:
        raise Http404
    instance_exists = model._default_manager.filter(pk=object_id).exists()
    events = pghistory.models.Events.objects.filter(
        pgh_obj_model=model_label, pgh_obj_id=object_id
    ).order_by("pgh_created_at")
    entries = _entries(events)
    if not entries and not instance_exists:
        raise Http404
    return entries
