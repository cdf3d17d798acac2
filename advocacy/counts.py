"""Advocacy figures for a period, counted from the referrals (reference report 5.5.4)."""

from datetime import date

from django.db.models import Q

from advocacy.models import Referral, ReferralConference


def referrals_made(start: date, end: date) -> int:
    return Referral.objects.filter(referred_on__range=(start, end)).count()


def provided_to(start: date, end: date) -> int:
    """Young people the service supported at any time in the period, including those whose
    support began before it (5.5.4 counts "68 who were already receiving support")."""
    began = Q(accepted_on__lte=end) | Q(support_started_on__lte=end)
    still_open_then = Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    return Referral.objects.filter(began, still_open_then).values("child").distinct().count()


def declined(start: date, end: date) -> int:
    return Referral.objects.filter(declined_on__range=(start, end)).count()


def conferences_attended(start: date, end: date) -> int:
    return ReferralConference.objects.filter(
        advocate_attended=True, conference__starts_at__date__range=(start, end)
    ).count()
