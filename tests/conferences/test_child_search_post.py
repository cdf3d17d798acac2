"""Searching for a child posts the terms: a child's name never sits in a URL."""

import re

import pytest
from django.urls import reverse

from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_the_search_form_posts_so_the_terms_stay_out_of_the_address(clerk_client):
    page = clerk_client.get(reverse("conferences:child_search")).content.decode()
    (form,) = re.findall(r'<form method="(\w+)"[^>]*novalidate>', page)
    assert form == "post"


def test_a_posted_search_finds_the_child(clerk_client):
    child = ChildFactory(first_name="Persephone", last_name="Quillfeather")
    response = clerk_client.post(reverse("conferences:child_search"), {"q": "Quillfeather"})
    assert response.status_code == 200
    assert response.context["results"] == [child]
