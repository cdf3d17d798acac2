"""Forms for the conference record; they clean input into record_services' data classes."""

from django import forms
from django.utils.html import format_html

from conferences.choices import (
    DECISIONS_BY_STAGE,
    AssessmentFactor,
    Decision,
    EntryKind,
    PlanCategory,
    PlanEndReason,
    ScoreGiver,
    Visibility,
)
from conferences.fields import DayMonthYearField
from conferences.record.services import DecisionData, EntryData, RecordData, copy_recipients

SCALE_MESSAGES = {
    "min_value": "A safety scale score is from 0 to 10",
    "max_value": "A safety scale score is from 0 to 10",
    "invalid": "Enter a whole number from 0 to 10",
}


def _scale(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10,
        error_messages=SCALE_MESSAGES,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
    )


class RecordForm(forms.Form):
    pre_meeting_held = forms.TypedChoiceField(
        label="Did the chair's pre-meeting with the family take place?",
        choices=[("", "Not recorded"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    inquorate_reason = forms.CharField(
        label="If the conference was not quorate but went ahead, why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    child_views = forms.CharField(
        label="The child's views", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent_views = forms.CharField(
        label="The parents' views", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    overall_family = _scale("Overall safety scale: family")
    overall_agencies = _scale("Overall safety scale: agencies")
    overall_chair = _scale("Overall safety scale: chair")
    amendment_reason = forms.CharField(
        label="Why you are changing a signed-off record",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def people_to_hide_from(conference) -> list[tuple[str, str]]:
    """The conference's own people, by reference, for "not for a named person"."""
    recipients = copy_recipients(conference)
    return [(key, recipient.label) for key, recipient in recipients.items() if key != "family"]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=[("", "Choose a type"), *EntryKind.choices])
    text = forms.CharField(label="Entry", widget=forms.Textarea(attrs={"rows": 2}))
    visibility = forms.ChoiceField(
        label="Who may see it", choices=Visibility.choices, initial=Visibility.EVERYONE
    )
    hidden_from = forms.ChoiceField(
        label="If not for a named person, who must not see it",
        required=False,
        help_text="Everyone invited and every family participant is listed.",
        error_messages={"invalid_choice": "Choose someone at this conference from the list"},
    )
    score_family = _scale("Scale: family")
    score_agencies = _scale("Scale: agencies")
    score_chair = _scale("Scale: chair")

    def __init__(self, *args, people: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden_from"].choices = [("", "Nobody (choose a person)"), *people]
        if legacy := self.initial.get("legacy_hidden_from"):
            self.fields["hidden_from"].help_text = format_html(
                "This said \u201c{}\u201d before people were chosen from a list, and matched "
                "no one at this conference: choose who must not see it.",
                legacy,
            )

    def has_changed(self) -> bool:
        return bool(self["kind"].data or self["text"].data)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("visibility") == Visibility.NOT_NAMED and not cleaned.get("hidden_from"):
            self.add_error("hidden_from", "Choose the person who must not see this entry")
        return cleaned

    def as_data(self) -> EntryData:
        data = self.cleaned_data
        scores = {
            giver: data[f"score_{giver}"]
            for giver in ScoreGiver.values
            if data.get(f"score_{giver}") is not None
        }
        chosen = {"participant": None, "invitation": None}
        if data["visibility"] == Visibility.NOT_NAMED:
            kind, pk = data["hidden_from"].split(":", 1)
            chosen[kind] = int(pk)
        return EntryData(
            kind=data["kind"],
            text=data["text"],
            visibility=data["visibility"],
            hidden_from_participant_id=chosen["participant"],
            hidden_from_invitation_id=chosen["invitation"],
            scores=scores,
        )


class DissentForm(forms.Form):
    dissenter = forms.CharField(label="Who dissents", max_length=150)
    words = forms.CharField(label="In their words", widget=forms.Textarea(attrs={"rows": 2}))

    def has_changed(self) -> bool:
        return bool(self["dissenter"].data or self["words"].data)


class ActionForm(forms.Form):
    who = forms.CharField(label="Who", max_length=150)
    what = forms.CharField(label="What", widget=forms.Textarea(attrs={"rows": 2}))
    by_when = DayMonthYearField(label="By when")

    def has_changed(self) -> bool:
        return bool(self["who"].data or self["what"].data)


EntryFormSet = forms.formset_factory(EntryForm, extra=3)
DissentFormSet = forms.formset_factory(DissentForm, extra=1)
ActionFormSet = forms.formset_factory(ActionForm, extra=2)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", required=False)
    end_reason = forms.ChoiceField(
        label="If the plan ends, why",
        choices=[("", "Not ending"), *PlanEndReason.choices],
        required=False,
    )
    categories = forms.MultipleChoiceField(
        label="Category of abuse",
        choices=PlanCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Two or more makes the category 'multiple'.",
    )
    multiple_categories_reason = forms.CharField(
        label="Why more than one category", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    factors = forms.MultipleChoiceField(
        label="Significant factors",
        choices=AssessmentFactor.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    next_review_on = DayMonthYearField(label="Next review by", required=False)
    first_core_group_on = DayMonthYearField(label="First core group by", required=False)

    def __init__(self, *args, place, **kwargs):
        self.place = place
        super().__init__(*args, **kwargs)
        allowed = DECISIONS_BY_STAGE[place.stage]
        self.fields["decision"].choices = [("", "Not decided yet")] + [
            (value, Decision(value).label) for value in allowed
        ]
        self.fields[
            "decision"
        ].label = f"Decision for {place.child} ({place.get_stage_display().lower()})"

    def as_data(self) -> DecisionData:
        return DecisionData(place_id=self.place.pk, **self.cleaned_data)


class ReleaseForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Who is this copy for?",
        help_text="Family members get the family version; professionals the professionals'.",
        error_messages={
            "required": "Choose who the copy is for",
            "invalid_choice": "Choose who the copy is for from the list",
        },
    )

    def __init__(self, *args, recipients: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = recipients
        self.fields["recipient"].choices = [
            ("", "Choose a recipient"),
            *((key, recipient.label) for key, recipient in recipients.items()),
        ]

    def chosen(self):
        return self.recipients[self.cleaned_data["recipient"]]


class DistributionForm(forms.Form):
    letter_sent_on = DayMonthYearField(
        label="Decision letter sent to the parents on", required=False
    )
    distributed_on = DayMonthYearField(label="Record distributed on", required=False)


class CoreGroupForm(forms.Form):
    held_on = DayMonthYearField(label="Date of the core group")
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
        error_messages={"required": "Enter who attended"},
    )
    actions_updated = forms.CharField(
        label="Actions updated", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferOutForm(forms.Form):
    receiving_conference_on = DayMonthYearField(
        label="Date of the receiving authority's conference"
    )


def record_data(form: RecordForm, entries, dissents, actions, decisions) -> RecordData:
    data = form.cleaned_data
    return RecordData(
        pre_meeting_held=data["pre_meeting_held"],
        inquorate_reason=data["inquorate_reason"],
        child_views=data["child_views"],
        parent_views=data["parent_views"],
        overall_scores={
            giver: data[f"overall_{giver}"]
            for giver in ScoreGiver.values
            if data.get(f"overall_{giver}") is not None
        },
        entries=[entry.as_data() for entry in entries if entry.has_changed()],
        dissents=[
            (d.cleaned_data["dissenter"], d.cleaned_data["words"])
            for d in dissents
            if d.has_changed()
        ],
        actions=[
            (a.cleaned_data["who"], a.cleaned_data["what"], a.cleaned_data["by_when"])
            for a in actions
            if a.has_changed()
        ],
        decisions=[decision.as_data() for decision in decisions],
    )
