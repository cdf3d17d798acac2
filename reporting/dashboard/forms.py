"""The dashboard's choice of year or quarter, locality and chair."""

from django import forms
from django.contrib.auth import get_user_model

from accounts.models import Role
from conferences.models import Locality
from reporting.figures import Scope
from rules.periods import Period, financial_year_of, year_choices
from rules.timescales import today


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", "The whole year"),
            (1, "Q1 (April to June)"),
            (2, "Q2 (July to September)"),
            (3, "Q3 (October to December)"),
            (4, "Q4 (January to March)"),
        ],
    )
    locality = forms.ModelChoiceField(
        label="Locality", queryset=Locality.objects.all(), required=False, empty_label="All"
    )
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=get_user_model().objects.filter(roles__contains=[Role.IRO]).order_by("full_name"),
        required=False,
        empty_label="All",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(financial_year_of(today()))

    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            period=Period(data["year"], data["quarter"]),
            locality_id=data["locality"].pk if data["locality"] else None,
            chair_id=data["chair"].pk if data["chair"] else None,
        )
