"""Session lifetimes: an idle limit and an absolute limit, measured from the session itself."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

SIGNED_IN_AT = "convene_signed_in_at"
LAST_SEEN = "convene_last_seen"


@dataclass(frozen=True)
class SessionClock:
    signed_in_at: float
    last_seen: float

    @classmethod
    def of(cls, session: SessionBase) -> "SessionClock | None":
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is None:
            return None
        return cls(signed_in_at=signed_in_at, last_seen=session.get(LAST_SEEN, signed_in_at))

    def seconds_left(self, now: float | None = None) -> float:
        """Seconds until the earlier of the idle and the absolute limit."""
        now = time.time() if now is None else now
        idle_left = settings.SESSION_IDLE_TIMEOUT.total_seconds() - (now - self.last_seen)
        absolute_left = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() - (
            now - self.signed_in_at
        )
        return min(idle_left, absolute_left)

    def has_expired(self, now: float | None = None) -> bool:
        return self.seconds_left(now) <= 0


def mark_seen(session: SessionBase) -> None:
    session[LAST_SEEN] = time.time()
