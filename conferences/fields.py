"""Form fields every form uses: GOV.UK day, month and year dates."""

from datetime import date, datetime

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError


def parse_uk_date(text: str) -> date | None:
    """A date typed as 31/8/2014 or 2014-08-31, or None if the text is not a date."""
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class DayMonthYearField(DateInputField):
    """The GOV.UK date input, with messages that name the date being asked for."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, **kwargs)
        what = label[0].lower() + label[1:]
        self.error_messages["required"] = f"Enter the {what}"
        self.error_messages["incomplete"] = f"Enter the {what} as a day, month and year"

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if any("valid" in message for message in error.messages):
                raise ValidationError(
                    f"The {self.label[0].lower() + self.label[1:]} must be a real date, "
                    "like 27 3 2026"
                ) from error
            raise
