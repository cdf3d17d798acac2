"""Forms for signing in: allauth's, in GOV.UK wording."""

from allauth.account.forms import LoginForm
from django import forms

from .models import Team


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
