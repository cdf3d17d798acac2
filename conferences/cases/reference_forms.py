"""The contact form clerks fill in; the managed lists' forms are made from REFERENCE_LISTS."""

from django import forms

from conferences.models import Professional


class ProfessionalForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Professional
        fields = ["full_name", "email", "phone", "job_title", "agency", "locality", "manager"]
        labels = {"manager": "Their manager (for escalations)"}
        error_messages = {
            "full_name": {"required": "Enter their full name"},
            "email": {
                "required": "Enter their email address",
                "invalid": "Enter an email address like name@agency.org.uk",
            },
            "agency": {"required": "Select their agency"},
        }
