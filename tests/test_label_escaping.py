"""Record data in a label, legend, hint or choice is text, never markup (issue 16, finding 2).

The GOV.UK form templates printed labels with ``|safe``; the project's own copies under
templates/gds/ autoescape them, so a child named with a hidden input cannot plant a field in the
chair's record form. A label deliberately built with ``format_html`` is still markup.
"""

import re
from datetime import timedelta
from pathlib import Path

import crispy_forms_gds
import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from conferences.choices import Stage
from conferences.record.services import start_record
from tests.factories import ChildFactory, FamilyFactory, at, make_conference
from tests.html_elements import elements

pytestmark = pytest.mark.django_db

PLANTED_INPUT = "<input type=hidden name=entries-1-visibility value=everyone>"


def test_a_child_named_with_a_hidden_input_cannot_change_the_chairs_record_form(iro, iro_client):
    child = ChildFactory(first_name=f"Zara{PLANTED_INPUT}", last_name="Hale")
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    start_record(actor=iro, conference=conference)

    page = iro_client.get(reverse("conferences:record_edit", args=[conference.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    planted = [
        element
        for element in elements(html)
        if element.tag == "input"
        and element.get("type") == "hidden"
        and element.get("name") == "entries-1-visibility"
    ]
    assert planted == []
    assert "Decision for Zara&lt;input type=hidden name=entries-1-visibility" in html


def test_a_child_named_with_markup_is_text_in_the_booking_forms_stage_legend(clerk_client):
    family = FamilyFactory(name="Hale")
    ChildFactory(family=family, first_name='Zara"><b id=planted-legend>')

    page = clerk_client.get(reverse("conferences:book", args=[family.pk]))

    assert page.status_code == 200
    assert [e for e in elements(page.content.decode()) if e.get("id") == "planted-legend"] == []


class _Labelled(forms.Form):
    plain = forms.CharField(label="<b id=planted-label>")
    checkbox = forms.BooleanField(label="<b id=planted-checkbox>", required=False)
    hinted = forms.CharField(label="Hint", help_text="<b id=planted-hint>")
    radios = forms.ChoiceField(
        label="<b id=planted-radios>",
        choices=[("a", "<b id=planted-choice>")],
        widget=forms.RadioSelect,
    )
    boxes = forms.MultipleChoiceField(
        label="<b id=planted-boxes>",
        choices=[("a", "<b id=planted-box-choice>")],
        widget=forms.CheckboxSelectMultiple,
    )
    deliberate = forms.CharField(label=format_html("<span id=deliberate>{}</span>", "<b id=x>"))


def test_every_gds_label_legend_hint_and_choice_is_escaped_but_format_html_stays_markup():
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
        Context({"form": _Labelled()})
    )

    ids = {element.get("id") for element in elements(html)}
    assert not {id_ for id_ in ids if id_ and id_.startswith("planted")}
    assert "deliberate" in ids
    assert "x" not in ids


def test_every_gds_template_printing_a_label_legend_or_hint_unescaped_has_an_escaping_copy():
    """A crispy-forms-gds upgrade that adds another ``label|safe`` fails here until
    templates/gds/ has its escaping copy."""
    package = Path(crispy_forms_gds.__file__).parent / "templates"
    unescaped = re.compile(r"\b(label|legend|help_text|hint)\|safe")
    for path in package.rglob("*.html"):
        if unescaped.search(path.read_text()):
            name = path.relative_to(package).as_posix()
            used = Path(get_template(name).origin.name)
            assert not unescaped.search(used.read_text()), f"{name} prints record data unescaped"
