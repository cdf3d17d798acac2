"""Insert or update many rows of one model in a few statements, for imports and loaders.

Django's ``bulk_create`` writes one placeholder per value and builds the statement in Python:
for a census of 50,000 children that building took longer than PostgreSQL took to insert them
(1.35 million values, a third of the import's time). Here each column is one array parameter and
the rows are ``unnest``-ed from them, so the statement is the same size whatever the number of
rows. The rows are ordinary inserts: defaults and ``pre_save`` (auto_now_add) come from the
model, and the database's triggers (history, the change log) and constraints apply as always.
"""

import re
from collections.abc import Sequence
from datetime import date

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Model

BATCH = 10_000  # rows to a statement: one parameter per column, so only memory limits it


def insert_all(model: type[Model], objects: Sequence[Model]) -> None:
    """Insert ``objects`` (unsaved instances of ``model``) and set each one's primary key, in
    the order given."""
    for start in range(0, len(objects), BATCH):
        _insert(model, objects[start : start + BATCH])


def _insert(model: type[Model], objects: Sequence[Model]) -> None:
    if not objects:
        return
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        # Keys are taken from the table's own sequence first, so each object learns its key
        # without relying on the order RETURNING gives rows back.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(objects)],
        )
        keys = [row[0] for row in cursor.fetchall()]
        for obj, key in zip(objects, keys, strict=True):
            obj.pk = key
        rows = _Rows(meta.concrete_fields, objects, adding=True)
        # Names come from the model's metadata and every value is a parameter.
        cursor.execute(
            f"INSERT INTO {_quote(table)} ({', '.join(rows.columns)}) "  # noqa: S608
            f"SELECT {', '.join(rows.values)} FROM {rows.source}",
            rows.params,
        )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def update_all(model: type[Model], objects: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of ``objects`` (saved instances of ``model``), each row only if it still
    has the version the object was read at, bumping it: save_if_unchanged for many rows, a
    statement for each batch. Returns how many rows were written; fewer than ``objects`` means
    someone else saved some of them first (the caller refuses the whole write)."""
    meta = model._meta
    chosen = [meta.pk, meta.get_field("version"), *(meta.get_field(name) for name in fields)]
    written = 0
    for start in range(0, len(objects), BATCH):
        batch = objects[start : start + BATCH]
        rows = _Rows(chosen, batch, adding=False)
        key, version, *changed = rows.columns
        key_value, version_value, *new_values = rows.values
        assignments = [
            f"{column} = {value}" for column, value in zip(changed, new_values, strict=True)
        ]
        table = _quote(meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {version} = {table}.{version} + 1, "  # noqa: S608
                f"{', '.join(assignments)} FROM {rows.source} "
                f"WHERE {table}.{key} = {key_value} AND {table}.{version} = {version_value}",
                rows.params,
            )
            written += cursor.rowcount
    if written == len(objects):
        for obj in objects:
            obj.version += 1
    return written


class _Rows:
    """Objects' values for some fields as one array parameter per field, and the ``unnest``
    that turns them back into rows (``source``, columns named c0, c1...)."""

    def __init__(self, fields, objects: Sequence[Model], *, adding: bool):
        self.columns, self.values, self.params, arrays = [], [], [], []
        for number, field in enumerate(fields):
            values = [
                field.get_db_prep_save(field.pre_save(obj, adding), connection) for obj in objects
            ]
            # Without its length: an explicit cast to varchar(50) would cut a longer value short
            # silently, where assigning it to the column refuses it, as any insert does.
            db_type = re.sub(r"\(\d+(,\s*\d+)?\)", "", field.db_type(connection))
            self.columns.append(_quote(field.column))
            if isinstance(field, ArrayField):
                # unnest flattens an array of arrays, so each row's array goes as its text form.
                values = [None if value is None else _array_literal(value) for value in values]
                arrays.append("%s::text[]")
                self.values.append(f"t.c{number}::{db_type}")
            else:
                arrays.append(f"%s::{db_type}[]")
                self.values.append(f"t.c{number}")
            self.params.append(values)
        names = ", ".join(f"c{number}" for number in range(len(self.columns)))
        self.source = f"unnest({', '.join(arrays)}) AS t({names})"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _array_literal(values) -> str:
    def element(value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, date):
            value = value.isoformat()
        text = str(value).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'

    return "{" + ",".join(element(value) for value in values) + "}"
