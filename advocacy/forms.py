"""Forms for the advocacy service."""

from django import forms

from accounts.models import Role, User
from advocacy.models import NEXT_STATUSES, ReferralStatus
from conferences.fields import DayMonthYearField


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label="What has happened",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what has happened"},
    )
    on = DayMonthYearField(label="Date")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label)
            for status in NEXT_STATUSES[ReferralStatus(referral.status)]
        ]


class ViewsForm(forms.Form):
    young_person_views = forms.CharField(
        label="The young person's views for the conference",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    supported_appeal = forms.BooleanField(
        label="The advocate is supporting an appeal", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ManualReferralForm(forms.Form):
    advocate = forms.ModelChoiceField(
        label="Named advocate",
        queryset=User.objects.none(),
        required=False,
        help_text="Needed if the child's record is restricted.",
        empty_label="The advocacy service",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advocate"].queryset = User.objects.filter(
            is_active=True, roles__contains=[Role.ADVOCATE]
        )
