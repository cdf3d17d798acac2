"""The contract every write service keeps: one transaction, an audit context, one refusal shape.

A service either commits everything or nothing, names who acted and why in pghistory's context
(so each history row says who changed it and through which service), and refuses a change that
breaks a rule with ``Refused``, whose messages a form shows beside the fields they are about.
"""

import dataclasses
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pghistory
from django.db import connection, transaction

if TYPE_CHECKING:
    from django import forms

    from accounts.models import User

WHOLE_FORM = None  # the key for a problem that is about the form as a whole, not one field


class Refused(Exception):
    """The change breaks a rule, so nothing was saved.

    ``errors`` maps a form field's name (``None`` for the whole form) to messages that say what
    is wrong and how to put it right, in words for the person making the change.
    """

    def __init__(
        self, errors: "dict[str | None, list[str]] | list[str] | str", *, field: str | None = None
    ):
        # One message, or a list of them, is about ``field`` (the whole form unless named).
        if isinstance(errors, str):
            errors = [errors]
        if isinstance(errors, list):
            errors = {field: errors}
        self.errors: dict[str | None, list[str]] = {
            name or None: list(messages) for name, messages in errors.items()
        }
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]


@contextmanager
def audited_write(
    actor: "User | None", action: str, *, bulk: bool = False, **about: str
) -> Iterator[None]:
    """Open the transaction and the audit context for one write.

    Everything done inside is saved together or not at all, and each history row it makes
    names ``actor``, ``action`` and anything in ``about`` (where an import came from, say). The
    system's own work (no actor) names no user at all, as it always has.

    ``bulk``: the write inserts thousands of rows in one transaction (an import, a loader), so
    foreign keys are checked as each statement ends rather than all at commit. Left deferred,
    every pending check is walked again when a later statement's history trigger fires, so each
    batch took longer than the last: 2,000 children took 0.28 s as the first batch and 2.3 s as
    the fifteenth; checked as they go, 0.19 s each. Parents are always written before their
    children here, so nothing a deferred check would allow is refused.
    """
    who = {"user": actor.pk} if actor else {}
    with transaction.atomic(), pghistory.context(**who, action=action, **about):
        if bulk:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield


def write_service(action: str) -> Callable:
    """Run the whole service in ``audited_write``, with its keyword argument ``actor``."""

    def decorate(service: Callable) -> Callable:
        @functools.wraps(service)
        def write(*args, **kwargs):
            with audited_write(kwargs.get("actor"), action):
                return service(*args, **kwargs)

        return write

    return decorate


class FieldValues:
    """Base for a dataclass of typed values for some of a model's fields, each named once.

    The service writes exactly these fields (``apply_to``, then save them by ``names()``); a
    view makes the values from its form's cleaned data without naming the fields again.
    """

    @classmethod
    def names(cls) -> list[str]:
        return [field.name for field in dataclasses.fields(cls)]

    @classmethod
    def from_cleaned(cls, cleaned_data: dict):
        return cls(**{name: cleaned_data[name] for name in cls.names()})

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.names()}

    def apply_to(self, instance) -> None:
        for name in self.names():
            setattr(instance, name, getattr(self, name))


def show_refusal(
    form: "forms.Form", refused: Refused, *, on_form: dict[str, str | None] | None = None
) -> None:
    """Put each of the refusal's messages beside its field (or at the top of the form), so it
    shows there and in the error summary.

    ``on_form`` names the form's field for a part of the change the form asks for under
    another name (``None``: the top of the form). A message about a field the form does not
    have goes at the top, so it is never lost.
    """
    on_form = on_form or {}
    for name, messages in refused.errors.items():
        field = on_form.get(name, name) if name is not None else None
        if field not in form.fields:
            field = None
        for message in messages:
            form.add_error(field, message)
