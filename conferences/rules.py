"""The service's rules about a conference: quorum, police notice, and when reports arrived."""

from collections.abc import Iterable
from datetime import date

from django.db import models

from rules.timescales import timescale
from rules.working_days import WorkingCalendar

from .choices import AgencyKind, Attendance
from .models import Invitation


def is_quorate(invitations: Iterable[Invitation]) -> bool:
    """Children's social care plus at least N other agencies attended. A report without
    attendance does not count."""
    attended = {
        invitation.professional.agency
        for invitation in invitations
        if invitation.attendance == Attendance.ATTENDED
    }
    social_care = {agency for agency in attended if agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE}
    others = attended - social_care
    return bool(social_care) and len(others) >= timescale("quorum_other_agencies")


def police_notice_days(invitation: Invitation, *, held_on: date, today: date) -> int | None:
    """Calendar days of notice a police invitation gives (counting an unsent one as sent today);
    None for other agencies."""
    if invitation.professional.agency.kind != AgencyKind.POLICE:
        return None
    return (held_on - (invitation.sent_on or today)).days


def is_police_notice_short(invitation: Invitation, *, held_on: date, today: date) -> bool:
    days = police_notice_days(invitation, held_on=held_on, today=today)
    return days is not None and days < timescale("police_notice_days")


class ReportReceipt(models.TextChoices):
    EARLIER = "earlier", "Earlier"
    PREVIOUS_DAY = "previous_day", "Previous working day"
    ON_THE_DAY = "on_the_day", "On the day"
    NOT_RECEIVED = "not_received", "Not received"
    NOT_RECORDED = "not_recorded", "Not recorded"


def classify_report_receipt(
    *, received_on: date | None, not_received: bool, held_on: date, calendar: WorkingCalendar
) -> ReportReceipt:
    """When the report arrived, in the reference report's terms (5.2.2).

    "Previous day" means the previous working day: a report that arrives on the Friday, or over
    the weekend, before a Monday conference arrived the previous day. Arriving on or after the
    day of the conference counts as on the day.
    """
    if not_received:
        return ReportReceipt.NOT_RECEIVED
    if received_on is None:
        return ReportReceipt.NOT_RECORDED
    if received_on >= held_on:
        return ReportReceipt.ON_THE_DAY
    if received_on >= calendar.previous_working_day(held_on):
        return ReportReceipt.PREVIOUS_DAY
    return ReportReceipt.EARLIER
