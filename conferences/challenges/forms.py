"""IRO challenge forms: raising, responding, escalating; good practice notes."""

from django import forms

from conferences.challenges.models import ChallengeLevel, ChallengeReason
from conferences.fields import DayMonthYearField
from conferences.models import Agency, Locality


class ChallengeForm(forms.Form):
    level = forms.TypedChoiceField(label="Level", choices=ChallengeLevel.choices, coerce=int)
    raised_with_team = forms.ModelChoiceField(
        label="Locality team", queryset=Locality.objects.all(), required=False
    )
    raised_with_agency = forms.ModelChoiceField(
        label="Or partner agency", queryset=Agency.objects.all(), required=False
    )
    reason = forms.ModelChoiceField(
        label="Reason",
        queryset=ChallengeReason.objects.filter(is_active=True),
        error_messages={"required": "Select the reason"},
    )
    detail = forms.CharField(
        label="What the challenge is about",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the challenge"},
    )
    raised_on = DayMonthYearField(label="Date raised")


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="Response",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the response"},
    )
    responded_on = DayMonthYearField(label="Date of the response")
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolved = forms.BooleanField(label="This resolves the challenge", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EscalateForm(forms.Form):
    on = DayMonthYearField(label="Date escalated")
    detail = forms.CharField(
        label="Why it is escalated",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is escalated"},
    )


class GoodPracticeForm(forms.Form):
    credited_to = forms.CharField(
        label="Whom it credits",
        max_length=200,
        error_messages={"required": "Enter the team, agency or person"},
    )
    what_went_well = forms.CharField(
        label="What went well",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what went well"},
    )
