"""The signed-in home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.work import trays_for


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", {"role_trays": trays_for(request.user)})
