"""A volunteer's own pages. They only ever touch request.user's profile: there is no id to guess."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest, client_ip
from volunteers import services
from volunteers.availability import PARTS, WEEKDAYS, slot_label
from volunteers.certificate import certificate_pdf
from volunteers.consent import consent_text
from volunteers.forms import (
    AboutYouForm,
    AvailabilityForm,
    ConsentForm,
    HoursForm,
    OfferForm,
    WithdrawForm,
    language_formset,
)
from volunteers.models import HoursEntry, Stage, Volunteer
from volunteers.selectors import hours_summary, next_steps_for

volunteers_only = role_required(Role.VOLUNTEER)

STEP_TITLES = {
    1: gettext_lazy("About you"),
    2: gettext_lazy("Languages"),
    3: gettext_lazy("What you offer"),
    4: gettext_lazy("When you are free"),
}


def _own_volunteer(request: AuthenticatedHttpRequest) -> Volunteer | None:
    return Volunteer.objects.select_related("user", "district").filter(user=request.user).first()


@volunteers_only
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 0: the consent. Nothing about the person is stored before they agree. A page that
    sent them here for the consent (`?next=`, such as the sign-up they asked for on the board)
    comes next; the profile's steps wait for them."""
    volunteer = _own_volunteer(request)
    then = _then(request)
    if volunteer is not None and services.has_current_consent(volunteer):
        return redirect(then or _next_step_url(volunteer))
    form = ConsentForm(request.POST or None, consent_text=consent_text(request.LANGUAGE_CODE))
    if request.method == "POST" and form.is_valid():
        volunteer = services.start_volunteering(
            user=request.user, language=request.LANGUAGE_CODE, ip=client_ip(request)
        )
        return redirect(then or _next_step_url(volunteer))
    return render(
        request,
        "volunteers/wizard_consent.html",
        {"form": form, "step": 0, "steps": services.WIZARD_STEPS},
    )


def _then(request: AuthenticatedHttpRequest) -> str | None:
    """`?next=` when it is a page of this site (the form posts back to the same address)."""
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else None


def _next_step_url(volunteer: Volunteer) -> str:
    if volunteer.wizard_step >= services.WIZARD_STEPS:
        return reverse("volunteers:my_profile")
    return reverse("volunteers:wizard", args=[volunteer.wizard_step + 1])


def _step_forms(
    request: AuthenticatedHttpRequest, volunteer: Volunteer, step: int
) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    if step == 1:
        return {"form": AboutYouForm(data, instance=volunteer)}
    if step == 2:
        return {"formset": language_formset(volunteer, data)}
    if step == 3:
        return {"form": OfferForm(data, instance=volunteer)}
    return {"form": AvailabilityForm(data, volunteer=volunteer)}


def _save_step(forms: dict[str, Any], volunteer: Volunteer) -> bool:
    formset = forms.get("formset")
    if formset is not None:
        if not formset.is_valid():
            return False
        services.set_languages(volunteer=volunteer, skills=formset.skills())
        return True
    form = forms["form"]
    if not form.is_valid():
        return False
    form.save()
    return True


@volunteers_only
@require_http_methods(["GET", "POST"])
def wizard(request: AuthenticatedHttpRequest, step: int) -> HttpResponse:
    """One step of the profile; progress is kept, so people can stop and come back later."""
    volunteer = _own_volunteer(request)
    if volunteer is None or not services.has_current_consent(volunteer):
        return redirect("volunteers:start")
    if not 1 <= step <= services.WIZARD_STEPS:
        return redirect(_next_step_url(volunteer))
    if step > volunteer.wizard_step + 1:
        return redirect(_next_step_url(volunteer))
    forms = _step_forms(request, volunteer, step)
    if request.method == "POST" and _save_step(forms, volunteer):
        services.complete_wizard_step(volunteer=volunteer, step=step, by=request.user)
        if step == services.WIZARD_STEPS:
            messages.success(request, _("Thank you! Your profile is complete."))
            return redirect("volunteers:my_profile")
        return redirect("volunteers:wizard", step=step + 1)
    return render(
        request,
        "volunteers/wizard_step.html",
        {
            **forms,
            "step": step,
            "steps": services.WIZARD_STEPS,
            "title": STEP_TITLES[step],
            "parts": PARTS,
            "grid": _slot_grid(forms["form"]) if step == services.WIZARD_STEPS else None,
            "editing": volunteer.profile_completed_at is not None,
        },
    )


def _slot_grid(form: AvailabilityForm) -> list[tuple[str, list[tuple[int, str, str, bool]]]]:
    """Rows of weekdays with a checkbox per part of the day, ticked as submitted or saved:
    (slot number, part of the day, the slot's whole label, ticked)."""
    chosen = set(form.data.getlist("slots") if form.is_bound else form.fields["slots"].initial)
    return [
        (
            str(day),
            [
                (number, str(part), slot_label(number), str(number) in chosen)
                for number, part in enumerate(PARTS, start=index * len(PARTS))
            ],
        )
        for index, day in enumerate(WEEKDAYS)
    ]


@volunteers_only
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    if volunteer is None or volunteer.profile_completed_at is None:
        return redirect("volunteers:start" if volunteer is None else _next_step_url(volunteer))
    volunteer = (
        Volunteer.objects.select_related("user", "district")
        .prefetch_related("languages__language", "themes")
        .get(pk=volunteer.pk)
    )
    invite_url = (
        request.build_absolute_uri(reverse("accounts:invite", args=[request.user.invite_code]))
        if request.user.invite_code
        else ""
    )
    return render(
        request,
        "volunteers/my_profile.html",
        {
            "volunteer": volunteer,
            "invite_url": invite_url,
            "hours": hours_summary(volunteer),
            "step_titles": STEP_TITLES,
            "is_paused": volunteer.stage == Stage.PAUSED,
            "is_withdrawn": volunteer.stage == Stage.WITHDRAWN,
            "availability_grid": _grid(volunteer.availability),
            "next_steps": next_steps_for(volunteer),
        },
    )


def _grid(mask: int) -> list[tuple[str, list[tuple[str, bool]], list[str]]]:
    """Each weekday with its parts of the day, whether the volunteer is free then, and the
    parts they are free (the phone shows only those)."""
    rows = []
    for index, day in enumerate(WEEKDAYS):
        cells = [
            (str(part), bool(mask & (1 << number)))
            for number, part in enumerate(PARTS, start=index * len(PARTS))
        ]
        rows.append((str(day), cells, [part for part, free in cells if free]))
    return rows


@volunteers_only
@require_POST
def pause(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    if volunteer is None:
        return redirect("volunteers:start")
    try:
        services.move_stage(volunteer=volunteer, to_stage=Stage.PAUSED, by=request.user)
    except services.StageTransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your volunteering is paused. Resume whenever you like."))
    return redirect("volunteers:my_profile")


@volunteers_only
@require_POST
def resume(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    if volunteer is None:
        return redirect("volunteers:start")
    try:
        services.resume(volunteer=volunteer, by=request.user)
    except services.StageTransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Welcome back!"))
    return redirect("volunteers:my_profile")


@volunteers_only
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    if volunteer is None:
        return redirect("volunteers:start")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(
                volunteer=volunteer, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.StageTransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("You have withdrawn. Thank you for everything you have done.")
            )
        return redirect("volunteers:my_profile")
    return render(request, "volunteers/withdraw.html", {"form": form, "volunteer": volunteer})


@volunteers_only
@require_http_methods(["GET", "POST"])
def my_hours(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    if volunteer is None:
        return redirect("volunteers:start")
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_hours(
                volunteer=volunteer,
                worked_on=form.cleaned_data["worked_on"],
                hours=form.cleaned_data["hours"],
                theme=form.cleaned_data["theme"],
                note=form.cleaned_data["note"],
            )
        except services.VolunteerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your hours have been logged."))
            return redirect("volunteers:my_hours")
    entries = volunteer.hours.select_related("theme")[:100]
    return render(
        request,
        "volunteers/my_hours.html",
        {"form": form, "entries": entries, "hours": hours_summary(volunteer)},
    )


@volunteers_only
@require_POST
def delete_hours(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = access_or_404(HoursEntry.objects.filter(volunteer__user=request.user), pk=pk)
    try:
        services.delete_own_hours(entry=entry)
    except services.VolunteerError as error:
        messages.error(request, str(error))
    return redirect("volunteers:my_hours")


@volunteers_only
def my_certificate(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    if volunteer is None:
        return redirect("volunteers:start")
    response = HttpResponse(certificate_pdf(volunteer), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="engagement-certificate.pdf"'
    return response
