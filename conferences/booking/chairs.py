"""Choosing a chair: continuity first, then everyone else, with each IRO's week beside them."""

from datetime import date, timedelta

from django.db.models import Count, Q

from accounts.models import Role, User
from conferences.choices import ConferenceStatus
from conferences.models import Family
from conferences.queries import conferences_visible_to


def week_starting(day: date) -> date:
    return day - timedelta(days=day.weekday())


def previous_chair(family: Family, viewer: User) -> User | None:
    """Whoever chaired the family's most recent held or booked conference that ``viewer`` may
    see: the suggestion must not reveal a conference hidden from them (a restricted sibling's)."""
    last = (
        conferences_visible_to(viewer)
        .filter(family=family, status__in=[ConferenceStatus.HELD, ConferenceStatus.BOOKED])
        .select_related("chair")
        .order_by("-starts_at")
        .first()
    )
    return last.chair if last else None


def chair_choices(family: Family, week_of: date, viewer: User) -> list[tuple[int, str]]:
    """IROs as (id, label): the family's previous chair as ``viewer`` may know it first
    (continuity), then by name, each with how many conferences they have booked in the week of
    ``week_of``. That count is the IRO's workload, so it includes conferences hidden from the
    viewer; it names no family or child."""
    monday = week_starting(week_of)
    in_week = Q(
        chaired_conferences__status=ConferenceStatus.BOOKED,
        chaired_conferences__starts_at__date__gte=monday,
        chaired_conferences__starts_at__date__lt=monday + timedelta(days=7),
    )
    iros = (
        User.objects.filter(is_active=True, roles__contains=[Role.IRO])
        .annotate(booked_that_week=Count("chaired_conferences", filter=in_week))
        .order_by("full_name")
    )
    continuity = previous_chair(family, viewer)
    week_label = f"{monday:%-d %b}"

    def label(iro: User) -> str:
        text = f"{iro.full_name}: {iro.booked_that_week} booked in week of {week_label}"
        if continuity and iro.pk == continuity.pk:
            text += " (chaired this family's last conference)"
        return text

    ordered = sorted(iros, key=lambda iro: not (continuity and iro.pk == continuity.pk))
    return [(iro.pk, label(iro)) for iro in ordered]
