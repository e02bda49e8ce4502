"""The portal's start page (URL name `home`), mounted at the root by the root URLconf."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .two_factor import may_use_second_factor


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"may_use_second_factor": may_use_second_factor(request.user)})


urlpatterns = [path("", home, name="home")]
