"""The thematic report's choice of quarter."""

from django import forms

from rules.periods import financial_year_of, year_choices
from rules.timescales import today


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[
            (1, "Q1 (April to June)"),
            (2, "Q2 (July to September)"),
            (3, "Q3 (October to December)"),
            (4, "Q4 (January to March)"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(financial_year_of(today()))
