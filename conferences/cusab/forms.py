"""The CUSAB meeting form: who chaired, and why an IRO did."""

from django import forms

from accounts.models import Role, User
from conferences.cusab.models import CusabChair, WhyIroChaired
from conferences.fields import DayMonthYearField


class CusabForm(forms.Form):
    held_on = DayMonthYearField(label="Date of the meeting")
    chaired_by = forms.ChoiceField(
        label="Who chaired it",
        choices=CusabChair.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who chaired the meeting"},
    )
    iro = forms.ModelChoiceField(
        label="The IRO who chaired",
        queryset=User.objects.filter(is_active=True, roles__contains=[Role.IRO]).order_by(
            "full_name"
        ),
        required=False,
    )
    why_iro_chaired = forms.ChoiceField(
        label="Why an IRO chaired",
        choices=WhyIroChaired.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    locality_manager = forms.CharField(
        label="The locality team manager who chaired", max_length=150, required=False
    )
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_meeting_on = DayMonthYearField(label="Date of the next meeting", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("chaired_by") == CusabChair.IRO:
            if not data.get("iro"):
                self.add_error("iro", "Select the IRO who chaired")
            if not data.get("why_iro_chaired"):
                self.add_error("why_iro_chaired", "Select why an IRO chaired")
        elif data.get("chaired_by") == CusabChair.LOCALITY_MANAGER and not (
            data.get("locality_manager", "").strip()
        ):
            self.add_error("locality_manager", "Enter the name of the manager who chaired")
        return data
