"""The questionnaire form: the questions for a parent or an agency, then a free comment."""

from django import forms

from conferences.questionnaires import services as feedback
from conferences.questionnaires.models import Answer


class QuestionnaireForm(forms.Form):
    comments = forms.CharField(
        label="Anything else you would like to tell us (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, respondent: str, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {
            key: forms.TypedChoiceField(
                label=text,
                choices=Answer.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer to this question"},
            )
            for key, text in feedback.QUESTIONS[respondent]
        }
        self.fields = {**questions, **self.fields}
        self.question_keys = list(questions)
