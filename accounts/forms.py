"""Forms for signing in: allauth's, in GOV.UK wording."""

from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms

from .models import Role, Team, User


class SignInForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK forms use labels, not placeholders, and the page already links to password reset.
        self.fields["login"].label = "Email address"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
            field.help_text = ""
        self.fields["password"].widget.attrs.pop("aria-describedby", None)


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=100,
        error_messages={"required": "Enter the team's name"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, team: Team | None = None, **kwargs):
        self.team = team
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = Team.objects.filter(name__iexact=name)
        if self.team is not None:
            clash = clash.exclude(pk=self.team.pk)
        if clash.exists():
            raise forms.ValidationError("A team with this name already exists: choose another")
        return name


class StaffAccountForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one role"},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.all(),
        required=False,
        empty_label="No team",
    )
    makes_annual_report = forms.BooleanField(
        label="May make the annual report PDF (managers only)", required=False
    )
    submits_statutory_returns = forms.BooleanField(
        label="May export the children in need census and Ofsted lists (managers only)",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        is_manager = Role.MANAGER in data.get("roles", [])
        if data.get("makes_annual_report") and not is_manager:
            self.add_error("makes_annual_report", "Only a manager may make the annual report")
        if data.get("submits_statutory_returns") and not is_manager:
            self.add_error(
                "submits_statutory_returns", "Only a manager may export statutory returns"
            )
        return data


class NewStaffAccountForm(StaffAccountForm):
    email = forms.EmailField(
        label="Work email address",
        help_text="They sign in with this, and the invitation to choose a password goes to it.",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
    )
    field_order = ["email", "full_name", "roles", "team"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already an account with this email address")
        return email


def _as_code_field(field: forms.Field, hint: str) -> None:
    # GOV.UK: a label and a hint, never a placeholder; a numeric keypad on phones.
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(
        {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
    )
    field.help_text = hint
    field.error_messages["required"] = "Enter the code from your authenticator app"


class SignInCodeForm(AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _as_code_field(
            self.fields["code"], "The 6-digit code your app shows, or one of your recovery codes."
        )


class SetUpCodeForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _as_code_field(self.fields["code"], "The 6-digit code your app shows after adding Convene.")
