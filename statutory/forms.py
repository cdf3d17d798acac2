"""Statutory return forms: the census year and authority, and Annex A's date range."""

from django import forms
from django.utils import timezone

from conferences.fields import DayMonthYearField
from rules.periods import financial_year_of, year_choices


class CensusForm(forms.Form):
    year = forms.TypedChoiceField(label="Census year", coerce=int, choices=())
    la = forms.RegexField(
        label="Local authority number",
        regex=r"^\d{3}$",
        help_text="The DfE's three-digit number for the authority.",
        error_messages={"invalid": "Enter the authority's three-digit DfE number, like 855"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = financial_year_of(timezone.localdate()) - 1
        self.fields["year"].choices = [
            (year, f"{label} (census of 31 March {year + 1})")
            for year, label in year_choices(latest)
        ]


class AnnexAForm(forms.Form):
    start = DayMonthYearField(label="From")
    end = DayMonthYearField(label="To")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the range must be on or after its start")
        return data
