"""Forms for signing in: allauth's, in GOV.UK wording."""

from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.db import transaction

from accounts import lockout
from accounts.models import NamedPermission, Role, Team, User


class SignInForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK forms use labels, not placeholders, and the page already links to password reset.
        self.fields["login"].label = "Email address"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
            field.help_text = ""
        self.fields["password"].widget.attrs.pop("aria-describedby", None)

    def clean(self):
        email = lockout.username_for_attempt(None, {"email": self.cleaned_data.get("login")})
        # An address already locked out of this account is answered by axes (the lockout page)
        # and must not use up the account's turn, or it could keep the owner waiting.
        if (
            email
            and self.request is not None
            and not lockout.is_address_locked_out(self.request, email)
            and lockout.is_sign_in_slowed(email)
            and not lockout.take_turn_to_sign_in(email)
        ):
            raise forms.ValidationError(lockout.slowed_message())
        return super().clean()


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
        help_text=(
            "Select all that apply. Roles and permissions you add apply only when another "
            "administrator approves them; those you take away go at once."
        ),
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

    ACCESS_FIELDS = ("roles", "makes_annual_report", "submits_statutory_returns")

    def __init__(self, *args, is_own_account: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_own_account = is_own_account
        if is_own_account:
            # Nobody changes their own roles or permissions; the service refuses it too.
            for name in self.ACCESS_FIELDS:
                del self.fields[name]

    def permissions(self) -> list[NamedPermission]:
        """The named permissions ticked, from cleaned data."""
        data = self.cleaned_data
        return [
            permission
            for permission, field in (
                (NamedPermission.ANNUAL_REPORT, "makes_annual_report"),
                (NamedPermission.STATUTORY_RETURNS, "submits_statutory_returns"),
            )
            if data.get(field)
        ]

    def clean(self):
        data = super().clean()
        if self.is_own_account:
            return data
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


class LimitedCodeAttempts:
    """Wrong codes (recorded in the security log by a signal receiver) lock the account after a
    few; codes are not even checked while it is locked, or from an address that has made too
    many wrong ones."""

    def clean_code(self) -> str:
        request = context.request
        with transaction.atomic():
            # One code at a time per account, so a burst of guesses cannot all pass the count.
            User.objects.select_for_update().filter(pk=self.user.pk).exists()
            refusal = lockout.second_factor_refusal(user=self.user, request=request)
            if refusal is None:
                try:
                    return super().clean_code()
                except forms.ValidationError as wrong_code:
                    refusal = wrong_code
                    lockout.lock_after_too_many_wrong_codes(user=self.user, request=request)
        # Raised outside the transaction, so the wrong code's record is kept.
        raise forms.ValidationError(refusal) if isinstance(refusal, str) else refusal


class SignInCodeForm(LimitedCodeAttempts, AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _as_code_field(
            self.fields["code"], "The 6-digit code your app shows, or one of your recovery codes."
        )


class ConfirmCodeForm(LimitedCodeAttempts, ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _as_code_field(
            self.fields["code"], "The 6-digit code your app shows, or one of your recovery codes."
        )


class SetUpCodeForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _as_code_field(self.fields["code"], "The 6-digit code your app shows after adding Convene.")
