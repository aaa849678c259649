"""The board: public pages (no sign-in) of the ways to help, and "I want to help", which leads
a visitor through registration and the onboarding start into the sign-up they asked for."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import to_locale
from django.views.decorators.http import require_GET, require_POST

from ankommen.accounts.permissions import is_volunteer
from ankommen.accounts.services import REFERRAL_SESSION_KEY, inviter_for_code
from ankommen.http import AuthenticatedHttpRequest
from ankommen.translated_content import SOURCE_LANGUAGE
from board import selectors, wanted
from board.filters import BoardFilter
from board.sources import SOURCES, SignUpRefusedError
from volunteers.models import Volunteer
from volunteers.services import has_current_consent

SHARE_IMAGE = "board/share-card.png"
INVITE_PARAMETER = "invite"


def _keep_invite(request: HttpRequest) -> None:
    """A shared link may carry the sharer's invite code (`?invite=`): kept for the sign-up, as
    the invite link keeps it, so the new account records who brought them."""
    code = request.GET.get(INVITE_PARAMETER, "")
    if code and not request.user.is_authenticated and inviter_for_code(code) is not None:
        request.session[REFERRAL_SESSION_KEY] = code


@login_not_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    _keep_invite(request)
    filterset = BoardFilter(request.GET)
    shown = selectors.board_page(filterset.criteria(), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "board/board.html",
        {
            "filter": filterset,
            "page": shown.page,
            "entries": shown.entries,
            "query": query.urlencode(),
            "share_image": request.build_absolute_uri(static(SHARE_IMAGE)),
            "page_url": request.build_absolute_uri(reverse("board:board")),
            "og_locale": to_locale(request.LANGUAGE_CODE),
            "source_language": SOURCE_LANGUAGE,
        },
    )


def _gone(request: HttpRequest) -> HttpResponse:
    """Missing, closed, full, begun or not approved: the same friendly answer for all."""
    return render(request, "board/entry_gone.html", status=404)


@login_not_required
@require_GET
def entry(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    found = selectors.entry(kind, pk)
    if found is None:
        return _gone(request)
    _keep_invite(request)
    share_url = request.build_absolute_uri(found.url)
    code = request.user.invite_code if request.user.is_authenticated else None
    return render(
        request,
        "board/entry.html",
        {
            "entry": found,
            "page_url": share_url,
            "share_url": f"{share_url}?{urlencode({INVITE_PARAMETER: code})}" if code else "",
            "share_image": request.build_absolute_uri(static(SHARE_IMAGE)),
            "og_locale": to_locale(request.LANGUAGE_CODE),
            "source_language": SOURCE_LANGUAGE,
            "may_want": not request.user.is_authenticated or is_volunteer(request.user),
        },
    )


@login_not_required
@require_POST
def want(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Remembers the entry; a visitor goes on to register (or sign in), a volunteer straight
    on to the sign-up."""
    found = selectors.entry(kind, pk)
    if found is None:
        return _gone(request)
    if request.user.is_authenticated and not is_volunteer(request.user):
        messages.info(request, _("Only volunteers sign up here."))
        return redirect(found.url)
    wanted.remember(request.session, kind, pk)
    if not request.user.is_authenticated:
        then = urlencode({"next": reverse("board:carry_on")})
        return redirect(f"{reverse('account_signup')}?{then}")
    return redirect("board:carry_on")


@require_GET
def carry_on(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where "I want to help" leads once the person is signed in: to the consent of the
    onboarding first if they have not given it (nothing about them is stored before), then
    the sign-up itself, through the owning app's service and its rules. The sign-up was asked
    for by the POST of "I want to help"; this only carries it out."""
    remembered = wanted.recall(request.session)
    if remembered is None:
        return redirect("board:board")
    kind, pk = remembered
    if not is_volunteer(request.user):
        wanted.forget(request.session)
        messages.info(request, _("Only volunteers sign up here."))
        return redirect("home")
    volunteer = Volunteer.objects.filter(user=request.user).first()
    if volunteer is None or not has_current_consent(volunteer):
        then = urlencode({"next": reverse("board:carry_on")})
        return redirect(f"{reverse('volunteers:start')}?{then}")
    wanted.forget(request.session)
    found = selectors.entry(kind, pk)
    try:
        landing = SOURCES[kind].sign_up(pk=pk, user=request.user)
    except SignUpRefusedError as error:
        messages.error(request, str(error))
        return redirect(found.url if found else "board:board")
    messages.success(request, _("Thank you! You are signed up."))
    if volunteer.profile_completed_at is None:
        messages.info(
            request,
            _("Your volunteer profile is not complete yet: you find it under “My profile”."),
        )
    return redirect(landing)
