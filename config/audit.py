"""How every domain model is audited: one decorator, so no model can be half-tracked."""

import pghistory


def audited(**options):
    """Track a model's inserts, updates and deletes in an append-only history table.

    pghistory tracks inserts and updates by default; deletes must be asked for, and we always
    want them, because "nothing lost" includes knowing what was removed and by whom. The trackers
    are made afresh for each model because pghistory binds them to the model's fields.
    """
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **options
    )
