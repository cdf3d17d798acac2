"""Forms for booking a conference and what follows it: invitations, reports, attendance,
postponing."""

import re
from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from conferences.choices import ParticipantKind, Stage
from conferences.fields import DayMonthYearField
from conferences.models import Family, PostponementReason, Professional, Venue

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class BookingForm(forms.Form):
    """The booking: a stage for each child who is to attend, then date, time, place and chair."""

    held_on = DayMonthYearField(label="Date of the conference")
    start_time = forms.CharField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 10:00 or 14:30.",
        error_messages={"required": "Enter the start time"},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=120,
        min_value=30,
        max_value=480,
        error_messages={
            "required": "Enter how long the conference will take, in minutes",
            "min_value": "A conference takes at least 30 minutes",
            "max_value": "A conference takes at most 480 minutes (8 hours)",
        },
    )
    venue = forms.ModelChoiceField(
        label="Venue",
        queryset=Venue.objects.all(),
        empty_label="Choose a venue",
        error_messages={"required": "Select the venue"},
    )
    chair = forms.ChoiceField(label="Chair", error_messages={"required": "Select the chair"})
    invitees = forms.ModelMultipleChoiceField(
        label="Invite agencies and professionals",
        queryset=Professional.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_past_record = forms.BooleanField(
        label="I am recording a conference that has already happened", required=False
    )
    out_of_timescale_reason = forms.CharField(
        label="Why the conference is after a child's due date",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only if the date is after a due date shown above.",
    )

    def __init__(self, *args, family: Family, children, chair_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.children = list(children)
        for child in self.children:
            self.fields[f"stage_{child.pk}"] = forms.ChoiceField(
                label=f"{child} ({child.local_case_id})",
                choices=[("", "Not at this conference"), *Stage.choices],
                required=False,
            )
        self.fields["chair"].choices = [("", "Choose a chair"), *chair_choices]
        self.fields["invitees"].queryset = Professional.objects.select_related("agency").order_by(
            "agency__name", "full_name"
        )
        self.fields["invitees"].label_from_instance = lambda professional: (
            f"{professional.full_name}, {professional.job_title or 'professional'} "
            f"({professional.agency})"
        )

    def stage_fields(self):
        return [self[f"stage_{child.pk}"] for child in self.children]

    def clean_start_time(self) -> time:
        match = TIME_PATTERN.match(self.cleaned_data["start_time"])
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError("Enter the start time like 10:00 or 14:30")
        return time(int(match[1]), int(match[2]))

    def clean_chair(self) -> User:
        chair = User.objects.filter(pk=self.cleaned_data["chair"]).first()
        if chair is None:
            raise ValidationError("Select the chair")
        return chair

    def clean(self):
        cleaned = super().clean()
        chosen = [
            (child, cleaned.get(f"stage_{child.pk}"))
            for child in self.children
            if cleaned.get(f"stage_{child.pk}")
        ]
        if not chosen and self.children:
            self.add_error(
                f"stage_{self.children[0].pk}",
                "Choose a stage for at least one child who is to attend",
            )
        cleaned["chosen_children"] = chosen
        if cleaned.get("held_on") and cleaned.get("start_time"):
            cleaned["starts_at"] = timezone.make_aware(
                datetime.combine(cleaned["held_on"], cleaned["start_time"])
            )
        return cleaned


class ParticipantForm(forms.Form):
    """One person joining the conference. A row left untouched is ignored."""

    kind = forms.ChoiceField(
        label="Who",
        choices=[("", "Choose who this is"), *ParticipantKind.choices],
        error_messages={"required": "Select who this person is"},
    )
    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter the person's name"}
    )
    attendance_mode = forms.ChoiceField(
        label="How they will join",
        choices=[("in_person", "In person"), ("video", "Video call"), ("phone", "Phone")],
        initial="in_person",
    )
    interpreter_language = forms.CharField(
        label="Interpreter language", required=False, help_text="Leave blank if none is needed."
    )
    interpreter_preference = forms.CharField(
        label="Interpreter preference", required=False, help_text="For example, a woman."
    )
    interpreter_connected_to_family = forms.BooleanField(
        label="The interpreter is a family member or connected to the family", required=False
    )

    MEANINGFUL = ("kind", "name", "interpreter_language", "interpreter_preference")

    def has_changed(self) -> bool:
        # How they will join has a default; a row is in use only once something else is filled.
        return any(self[name].data for name in self.MEANINGFUL) or bool(
            self["interpreter_connected_to_family"].data
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("interpreter_connected_to_family"):
            self.add_error(
                "interpreter_connected_to_family",
                "An interpreter must not be a family member or connected to the family: "
                "book an independent interpreter",
            )
        return cleaned


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=2)


class SentForm(forms.Form):
    sent_on = DayMonthYearField(label="Date the invitations were sent")
    invitations = forms.MultipleChoiceField(
        label="Invitations sent", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitations"].choices = [
            (invitation.pk, str(invitation.professional)) for invitation in invitations
        ]
        self.fields["invitations"].error_messages["required"] = "Select the invitations you sent"


class ReportReceiptForm(forms.Form):
    family_received_on = DayMonthYearField(label="Date the family received it", required=False)
    family_not_received = forms.BooleanField(label="The family did not receive it", required=False)
    chair_received_on = DayMonthYearField(label="Date the chair received it", required=False)
    chair_not_received = forms.BooleanField(label="The chair did not receive it", required=False)

    def clean(self):
        cleaned = super().clean()
        for who in ("family", "chair"):
            if cleaned.get(f"{who}_received_on") and cleaned.get(f"{who}_not_received"):
                self.add_error(
                    f"{who}_not_received",
                    f"Give either the date the {who} received it or that they did not, not both",
                )
        return cleaned


class PostponeForm(forms.Form):
    action = forms.ChoiceField(
        label="What is happening",
        choices=[("postpone", "Postpone (to be rebooked)"), ("cancel", "Cancel")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to postpone or cancel"},
    )
    reason = forms.ModelChoiceField(
        label="Reason",
        queryset=PostponementReason.objects.filter(is_active=True),
        error_messages={"required": "Select the reason"},
    )
    detail = forms.CharField(
        label="More detail", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=[
            ("", "Not recorded"),
            ("attended", "Attended"),
            ("report_only", "Sent a report only"),
            ("absent", "Did not attend"),
        ],
        required=False,
    )
    attendance_mode = forms.ChoiceField(
        label="How they joined",
        choices=[
            ("", "Not applicable"),
            ("in_person", "In person"),
            ("video", "Video call"),
            ("phone", "Phone"),
        ],
        required=False,
    )
    report_received_on = DayMonthYearField(label="Date their report arrived", required=False)
    report_in_agreed_format = forms.TypedChoiceField(
        label="Report in the agreed format",
        choices=[("", "No report or not known"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        initial = {
            "attendance": invitation.attendance,
            "attendance_mode": invitation.attendance_mode,
            "report_received_on": invitation.report_received_on,
            "report_in_agreed_format": {True: "yes", False: "no"}.get(
                invitation.report_in_agreed_format, ""
            ),
        }
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attendance") == "attended" and not cleaned.get("attendance_mode"):
            self.add_error("attendance_mode", "Select how they joined the conference")
        return cleaned

    def as_record(self):
        from conferences.booking.services import AttendanceRecord

        return AttendanceRecord(
            invitation_id=self.invitation.pk,
            attendance=self.cleaned_data["attendance"],
            attendance_mode=self.cleaned_data["attendance_mode"],
            report_received_on=self.cleaned_data["report_received_on"],
            report_in_agreed_format=self.cleaned_data["report_in_agreed_format"],
        )
