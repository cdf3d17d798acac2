"""Forms for case records: families, children, births, and finding a child."""

from django import forms
from django.utils import timezone

from accounts.models import Role, User
from conferences.cases.census_codes import upn_problem
from conferences.choices import Disability
from conferences.fields import DayMonthYearField
from conferences.models import Child, Locality, Professional


def _staff_who_see_cases():
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.CLERK, Role.IRO, Role.MANAGER]
    ).order_by("full_name")


class FamilyForm(forms.Form):
    name = forms.CharField(
        label="Family name",
        max_length=150,
        help_text="How the service refers to the household, for example Smith or Smith/Jones.",
        error_messages={"required": "Enter the family name"},
    )
    is_restricted = forms.BooleanField(
        label="Restrict this family to named staff",
        required=False,
        help_text="Only the staff you name below can find or open it. You are always named.",
    )
    named_staff = forms.ModelMultipleChoiceField(
        label="Named staff", queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_staff"].queryset = _staff_who_see_cases()


class ChildForm(forms.ModelForm):
    date_of_birth = DayMonthYearField(label="Date of birth", required=False)
    expected_date_of_birth = DayMonthYearField(
        label="Expected date of birth",
        required=False,
        help_text="For an unborn baby only. Leave blank if the child has been born.",
    )
    strategy_discussion_on = DayMonthYearField(
        label="Date of the strategy discussion",
        required=False,
        help_text="The strategy discussion that started the section 47 enquiry.",
    )
    transfer_notified_on = DayMonthYearField(
        label="Date another authority notified us",
        required=False,
        help_text="For a child transferring in on a plan from another authority.",
    )
    date_of_death = DayMonthYearField(label="Date of death", required=False)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    named_staff = forms.ModelMultipleChoiceField(
        label="Named staff",
        queryset=User.objects.none(),
        required=False,
        help_text="If the child's record is restricted, only these staff can open it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Child
        fields = [
            "local_case_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
            "disabilities",
            "first_language",
            "locality",
            "social_worker",
            "strategy_discussion_on",
            "transfer_notified_on",
            "upn",
            "upn_unknown_reason",
            "date_of_death",
            "is_restricted",
        ]
        labels = {
            "local_case_id": "Local case ID",
            "ethnicity": "Ethnicity",
            "is_restricted": "Restrict this child's record to named staff",
        }
        error_messages = {
            "local_case_id": {
                "required": "Enter the local case ID",
                "unique": "Another child already has this local case ID: check the number",
            },
            "last_name": {"required": "Enter the child's last name"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_staff"].queryset = _staff_who_see_cases()
        self.fields["ethnicity"].help_text = "Leave as not known until the family has said."
        self.fields["social_worker"].queryset = Professional.objects.select_related("agency")
        self.fields["locality"].queryset = Locality.objects.all()

    def clean(self):
        cleaned = super().clean()
        born, expected = cleaned.get("date_of_birth"), cleaned.get("expected_date_of_birth")
        if born and expected:
            self.add_error(
                "expected_date_of_birth",
                "A child who has been born has a date of birth, not an expected one: "
                "clear the expected date",
            )
        elif not born and not expected and not self.errors.get("date_of_birth"):
            self.add_error(
                "date_of_birth",
                "Enter the date of birth, or an expected date of birth for an unborn baby",
            )
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", "The date of birth cannot be in the future")
        self._clean_census_identity(cleaned)
        return cleaned

    def _clean_census_identity(self, cleaned):
        upn = cleaned.get("upn", "").strip().upper()
        cleaned["upn"] = upn
        if upn and (problem := upn_problem(upn)):
            self.add_error("upn", f"{problem}: check the number")
        if upn and cleaned.get("upn_unknown_reason"):
            self.add_error("upn_unknown_reason", "Give either a UPN or why there is none, not both")
        died, born = cleaned.get("date_of_death"), cleaned.get("date_of_birth")
        if died and died > timezone.localdate():
            self.add_error("date_of_death", "The date of death cannot be in the future")
        elif died and born and died < born:
            self.add_error("date_of_death", "The date of death cannot be before the date of birth")


class BirthForm(forms.Form):
    born_on = DayMonthYearField(label="Date of birth")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, local case ID or date of birth",
        help_text="For a date of birth use day/month/year, for example 31/8/2014.",
        required=False,
    )
