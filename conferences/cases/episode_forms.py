"""The children in need episode form: the referral, enquiry and assessment the census needs."""

from django import forms

from conferences.cases.census_codes import ClosureReason, PrimaryNeed, ReferralSource
from conferences.choices import AssessmentFactor
from conferences.fields import DayMonthYearField


def _choices(codes):
    return [("", "Choose")] + [(value, f"{value}: {label}") for value, label in codes.choices]


class EpisodeForm(forms.Form):
    referral_on = DayMonthYearField(label="Referral date")
    referral_source = forms.ChoiceField(
        label="Source of the referral",
        choices=_choices(ReferralSource),
        error_messages={"required": "Select the source of the referral"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        choices=_choices(PrimaryNeed),
        error_messages={"required": "Select the primary need"},
    )
    s47_started_on = DayMonthYearField(label="Section 47 enquiry started", required=False)
    icpc_target_on = DayMonthYearField(
        label="Initial conference target date",
        required=False,
        help_text="15 working days from the strategy discussion.",
    )
    icpc_not_required = forms.BooleanField(
        label="The enquiry ended without the need for an initial conference", required=False
    )
    assessment_started_on = DayMonthYearField(label="Assessment started", required=False)
    assessment_authorised_on = DayMonthYearField(label="Assessment authorised", required=False)
    assessment_factors = forms.MultipleChoiceField(
        label="Factors identified at the assessment",
        choices=[(value, f"{value}: {label}") for value, label in AssessmentFactor.choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    closed_on = DayMonthYearField(label="Episode closed", required=False)
    closure_reason = forms.ChoiceField(
        label="Why the episode closed",
        choices=[("", "Not closed")]
        + [(value, f"{value}: {label}") for value, label in ClosureReason.choices],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
