"""Forms for complaints, appeals and dissent."""

from django import forms

from complaints.models import Complainant, ComplaintReason, Outcome
from conferences.fields import DayMonthYearField
from conferences.models import Agency


class ComplaintForm(forms.Form):
    complainant = forms.ChoiceField(label="Who is complaining", choices=Complainant.choices)
    complainant_name = forms.CharField(
        label="Their name",
        max_length=150,
        error_messages={"required": "Enter the complainant's name"},
    )
    child = forms.ChoiceField(label="Which child it concerns")
    received_on = DayMonthYearField(label="Date received")
    reason = forms.ModelChoiceField(
        label="Reason",
        queryset=ComplaintReason.objects.filter(is_active=True),
        error_messages={"required": "Select the reason"},
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["child"].choices = [
            (p.child_id, str(p.child)) for p in conference.attendees.select_related("child")
        ]


class ResponseForm(forms.Form):
    responded_on = DayMonthYearField(label="Date of the response", required=False)
    response = forms.CharField(
        label="Response", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "Not decided yet"), *Outcome.choices], required=False
    )
    close = forms.BooleanField(label="This resolves the complaint: close it", required=False)


class EscalateForm(forms.Form):
    on = DayMonthYearField(label="Date escalated")


class AppealForm(forms.Form):
    child = forms.ChoiceField(label="Which child's decision")
    appellant = forms.ChoiceField(
        label="Who is appealing",
        choices=[("parent", "Parent or carer"), ("young_person", "Young person")],
    )
    supported_by_advocate = forms.BooleanField(label="Supported by the advocate", required=False)
    received_on = DayMonthYearField(label="Date received")
    grounds = forms.CharField(
        label="Grounds",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the grounds for the appeal"},
    )
    iro_meeting_on = DayMonthYearField(label="Date the IRO met them", required=False)
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    went_to_partnership_procedure = forms.BooleanField(
        label="It went to the safeguarding partnership's appeal procedure", required=False
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [
            (p.child_id, str(p.child)) for p in conference.attendees.select_related("child")
        ]


class DissentForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.all(),
        error_messages={"required": "Select the agency"},
    )
    point = forms.CharField(
        label="The point of disagreement",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the point of disagreement"},
    )
    raised_on = DayMonthYearField(label="Date raised")
    escalated_to = forms.ChoiceField(
        label="Escalated to",
        required=False,
        choices=[
            ("", "Not escalated"),
            ("team_manager", "Team manager"),
            ("service_manager", "Service manager"),
        ],
    )
    resolved_on = DayMonthYearField(label="Date resolved", required=False)
    resolution = forms.CharField(
        label="How it was resolved", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
