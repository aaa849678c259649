"""Subscribing and unsubscribing: without an account, and with one click from any newsletter."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ankommen.http import AuthenticatedHttpRequest, client_ip
from ankommen.messaging.forms import SubscribeForm
from ankommen.messaging.models import Subscription
from ankommen.messaging.services import subscriptions as subscription_services
from ankommen.messaging.services.subscriptions import SubscriptionError


def _invalid_link(request: HttpRequest, error: SubscriptionError) -> HttpResponse:
    return render(
        request, "messaging/subscription_link_invalid.html", {"error": str(error)}, status=400
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    language = request.LANGUAGE_CODE
    form = SubscribeForm(
        request.POST or None, consent_text=subscription_services.consent_text(language)
    )
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(
            request, action="newsletter_subscribe", key=form.cleaned_data["email"].lower()
        ):
            return render(request, "429.html", status=429)
        subscription_services.request_subscription(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            language=language,
            ip=client_ip(request),
        )
        return render(request, "messaging/subscribe_done.html")
    return render(request, "messaging/subscribe.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners open links, and must not subscribe anyone."""
    try:
        subscription = subscription_services.subscription_from_confirm_token(token)
        if request.method == "POST":
            subscription_services.confirm_subscription(subscription=subscription)
            return render(request, "messaging/subscription_confirmed.html")
    except SubscriptionError as error:
        return _invalid_link(request, error)
    return render(request, "messaging/subscription_confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: mail providers POST here without cookies; the signed token is the proof.
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation; only POST unsubscribes, with or without an account."""
    try:
        subscription, newsletter_id = subscription_services.subscription_from_unsubscribe_token(
            token
        )
    except SubscriptionError as error:
        return _invalid_link(request, error)
    if request.method == "POST":
        subscription_services.unsubscribe(
            subscription=subscription, via_newsletter_id=newsletter_id
        )
        return render(request, "messaging/unsubscribed.html")
    return render(request, "messaging/unsubscribe.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def my_subscription(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Signed-in people see and change their own subscription, nobody else's."""
    subscription = Subscription.objects.filter(email__iexact=request.user.email or "").first()
    if request.method == "POST":
        if request.POST.get("action") == "subscribe":
            try:
                subscription_services.subscribe_account(user=request.user, ip=client_ip(request))
            except SubscriptionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("You now receive the newsletter."))
        elif subscription is not None:
            subscription_services.unsubscribe(subscription=subscription)
            messages.success(request, _("You no longer receive the newsletter."))
        return redirect("messaging:my_subscription")
    return render(
        request,
        "messaging/my_subscription.html",
        {
            "subscription": subscription,
            "is_subscribed": subscription is not None
            and subscription.state == Subscription.State.CONFIRMED,
            "consent_text": subscription_services.consent_text(request.LANGUAGE_CODE),
        },
    )
