"""Annual report forms: starting a report, its narrative and its work programme actions."""

from django import forms

from reporting.annual.models import (
    NARRATIVE_SECTIONS,
    Rag,
)

BULLET_HELP = "Leave a blank line between paragraphs. Start a line with “- ” for a bullet."


class NewReportForm(forms.Form):
    year = forms.IntegerField(
        label="Financial year it starts in",
        help_text="For example 2014 for 2014-15",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "Enter the year, like 2014"},
    )


class NarrativeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in NARRATIVE_SECTIONS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                help_text=BULLET_HELP,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )


class ActionForm(forms.Form):
    for_next_year = forms.TypedChoiceField(
        label="Which programme",
        choices=[("False", "This year (Appendix 1)"), ("True", "Next year (Appendix 2)")],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose this year's or next year's programme"},
    )
    action = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the action"},
    )
    who = forms.CharField(label="Who", max_length=150, error_messages={"required": "Say who"})
    when = forms.CharField(
        label="When", max_length=60, error_messages={"required": "Say when, like September 2015"}
    )
    rag = forms.ChoiceField(
        label="RAG status", choices=[("", "Not rated"), *Rag.choices], required=False
    )
    commentary = forms.CharField(
        label="Commentary", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
