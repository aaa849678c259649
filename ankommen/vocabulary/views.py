"""Coordinators keep the districts, themes and languages the portal offers, without the admin."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.vocabulary import services
from ankommen.vocabulary.forms import LanguageForm, NamesForm, ThemeForm
from ankommen.vocabulary.models import District, Language, Theme
from ankommen.vocabulary.selectors import total_uses, uses_of

coordinators_only = role_required(Role.COORDINATOR)


@dataclass(frozen=True)
class Kind:
    """One list coordinators keep: its model, its form and the words its pages use."""

    slug: str
    model: type[District] | type[Theme] | type[Language]
    form: type[NamesForm] | type[LanguageForm]
    title: Promise
    intro: Promise
    add: Promise


KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            "districts",
            District,
            NamesForm,
            gettext_lazy("Districts"),
            gettext_lazy(
                "The districts of the city the network works in: where volunteers and newcomers "
                "live, partners work and tasks take place."
            ),
            gettext_lazy("Add a district"),
        ),
        Kind(
            "themes",
            Theme,
            ThemeForm,
            gettext_lazy("Themes"),
            gettext_lazy(
                "What newcomers need help with and volunteers are interested in; needs, offers, "
                "groups and trainings are sorted by them."
            ),
            gettext_lazy("Add a theme"),
        ),
        Kind(
            "languages",
            Language,
            LanguageForm,
            gettext_lazy("Languages"),
            gettext_lazy(
                "The languages the portal offers when volunteers and newcomers say what they "
                "speak, and courses and offers say what they are given in. Languages listed "
                "first are at the top of every choice."
            ),
            gettext_lazy("Add a language"),
        ),
    )
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _entry(kind: Kind, pk: int) -> Any:
    return access_or_404(kind.model.objects.all(), pk=pk)


@coordinators_only
def entry_list(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """Every entry, offered or retired, with how many records hold it."""
    chosen = _kind(kind)
    entries = list(chosen.model.objects.all())
    uses = uses_of(chosen.model, [entry.pk for entry in entries])
    rows = [(entry, uses[entry.pk], total_uses(uses[entry.pk])) for entry in entries]
    return render(
        request,
        "vocabulary/entry_list.html",
        {"kind": chosen, "kinds": KINDS.values(), "rows": rows},
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def entry_add(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    chosen = _kind(kind)
    form = chosen.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.add_entry(model=chosen.model, values=form.values(), by=request.user)
        except services.VocabularyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is added and offered.") % {"name": entry})
            return redirect("vocabulary:entry_list", kind=chosen.slug)
    return render(
        request,
        "vocabulary/entry_form.html",
        {"kind": chosen, "form": form},
        status=400 if form.is_bound else 200,
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    chosen = _kind(kind)
    entry = _entry(chosen, pk)
    form = chosen.form(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_entry(entry=entry, values=form.values(), by=request.user)
        except services.VocabularyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": entry})
            return redirect("vocabulary:entry_list", kind=chosen.slug)
    return render(
        request,
        "vocabulary/entry_form.html",
        {"kind": chosen, "form": form, "entry": entry},
        status=400 if form.is_bound else 200,
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def entry_retire(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    """Says first how many records hold the entry, and that they keep it."""
    chosen = _kind(kind)
    entry = _entry(chosen, pk)
    if request.method == "POST":
        name = str(entry)
        try:
            services.retire_entry(entry=entry, by=request.user)
        except services.VocabularyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s is retired. You can offer it again at any time.") % {"name": name},
            )
        return redirect("vocabulary:entry_list", kind=chosen.slug)
    uses = uses_of(chosen.model, [entry.pk])[entry.pk]
    return render(
        request,
        "vocabulary/entry_retire.html",
        {"kind": chosen, "entry": entry, "uses": uses, "total": total_uses(uses)},
    )


@coordinators_only
@require_POST
def entry_reactivate(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    chosen = _kind(kind)
    entry = _entry(chosen, pk)
    try:
        services.reactivate_entry(entry=entry, by=request.user)
    except services.VocabularyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is offered again.") % {"name": entry})
    return redirect("vocabulary:entry_list", kind=chosen.slug)
