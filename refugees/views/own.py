"""The newcomer's own, simplified view. It only ever shows request.user's own newcomer."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from ankommen.vocabulary.models import Theme
from refugees import hooks, services
from refugees.forms import HelpForm, LanguageChoiceForm
from refugees.permissions import NewcomerHttpRequest, newcomer_required
from refugees.views.access import LANGUAGE_COOKIE


@newcomer_required
def home(request: NewcomerHttpRequest) -> HttpResponse:
    notices = hooks.notices_for(request.newcomer)
    return render(
        request, "refugees/newcomer/home.html", {"newcomer": request.newcomer, "notices": notices}
    )


@newcomer_required
def contact(request: NewcomerHttpRequest) -> HttpResponse:
    people = hooks.contact_people_for(request.newcomer)
    return render(request, "refugees/newcomer/contact.html", {"people": people})


@newcomer_required
def appointments(request: NewcomerHttpRequest) -> HttpResponse:
    items = hooks.appointments_for(request.newcomer)
    return render(request, "refugees/newcomer/appointments.html", {"appointments": items})


@newcomer_required
def offers(request: NewcomerHttpRequest) -> HttpResponse:
    items = hooks.offers_for(request.newcomer)
    return render(request, "refugees/newcomer/offers.html", {"offers": items})


@newcomer_required
@require_http_methods(["GET", "POST"])
def help_request(request: NewcomerHttpRequest) -> HttpResponse:
    form = HelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask_for_help(
            newcomer=request.newcomer,
            theme=form.cleaned_data["theme"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            pgettext(
                "newcomer view", "Thank you. We have received your request and will contact you."
            ),
        )
        return redirect("newcomer:help_sent")
    themes = Theme.objects.offered()
    return render(request, "refugees/newcomer/help.html", {"form": form, "themes": themes})


@newcomer_required
def help_sent(request: NewcomerHttpRequest) -> HttpResponse:
    return render(request, "refugees/newcomer/help_sent.html")


@newcomer_required
@require_http_methods(["GET", "POST"])
def language(request: NewcomerHttpRequest) -> HttpResponse:
    form = LanguageChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["language"]
        services.set_language(newcomer=request.newcomer, language=chosen, by=request.user)
        translation.activate(chosen)
        with translation.override(chosen):
            response = redirect(reverse("newcomer:home"))
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, samesite="Lax", httponly=True, max_age=31536000
        )
        return response
    return render(request, "refugees/newcomer/language.html", {"form": form})
