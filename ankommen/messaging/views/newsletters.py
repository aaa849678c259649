"""Coordinators write, test, schedule and send newsletters and watch them go out."""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.messaging import selectors
from ankommen.messaging.forms import NewsletterForm, NewsletterTranslationForm, ScheduleForm
from ankommen.messaging.models import Newsletter
from ankommen.messaging.newsletter_content import markdown_to_safe_html, newsletter_version
from ankommen.messaging.segments import recipients_for, segment_label
from ankommen.messaging.services import newsletters as newsletter_services

coordinators_only = role_required(Role.COORDINATOR)


@coordinators_only
def newsletter_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.newsletters_with_numbers(), 25).get_page(request.GET.get("page"))
    return render(request, "messaging/newsletter_list.html", {"page": page})


@coordinators_only
def newsletter_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewsletterForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        newsletter = form.save()
        messages.success(request, _("The draft has been saved."))
        return redirect(newsletter)
    return render(request, "messaging/newsletter_form.html", {"form": form})


@coordinators_only
def newsletter_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newsletter = access_or_404(Newsletter.objects.all(), pk=pk)
    if not newsletter.is_editable:
        messages.error(request, _("A newsletter that has been sent can no longer be changed."))
        return redirect(newsletter)
    form = NewsletterForm(request.POST or None, instance=newsletter)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The draft has been saved."))
        return redirect(newsletter)
    return render(
        request, "messaging/newsletter_form.html", {"form": form, "newsletter": newsletter}
    )


@coordinators_only
def newsletter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newsletter = access_or_404(selectors.newsletters_with_numbers(), pk=pk)
    translations = list(newsletter.translations.all())
    context = {
        "newsletter": newsletter,
        "translations": translations,
        "preview_html": markdown_to_safe_html(newsletter.body),
        "audience": segment_label(newsletter.segment_kind, newsletter.segment_value),
    }
    if newsletter.is_editable:
        context["recipient_count"] = recipients_for(
            newsletter.segment_kind, newsletter.segment_value
        ).count()
    return render(request, "messaging/newsletter_detail.html", context)


@coordinators_only
def newsletter_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newsletter = access_or_404(selectors.newsletters_with_numbers(), pk=pk)
    return render(
        request, "messaging/partials/_newsletter_progress.html", {"newsletter": newsletter}
    )


def _run(
    request: AuthenticatedHttpRequest,
    newsletter: Newsletter,
    action: Callable[[], object],
    success: str,
) -> HttpResponse:
    try:
        action()
    except newsletter_services.NewsletterStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(newsletter)


@coordinators_only
@require_POST
def newsletter_test(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newsletter = access_or_404(Newsletter.objects.all(), pk=pk)
    return _run(
        request,
        newsletter,
        lambda: newsletter_services.send_test_newsletter(
            newsletter=newsletter, to_user=request.user
        ),
        _("A test has been sent to your own address."),
    )


@coordinators_only
@require_POST
def newsletter_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newsletter = access_or_404(Newsletter.objects.all(), pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a valid date and time."))
        return redirect("messaging:newsletter_send", pk=newsletter.pk)
    try:
        newsletter_services.schedule_newsletter(
            newsletter=newsletter, send_at=form.cleaned_data["send_at"]
        )
    except newsletter_services.NewsletterStateError as error:
        messages.error(request, str(error))
        return redirect("messaging:newsletter_send", pk=newsletter.pk)
    messages.success(request, _("The newsletter will be sent at the chosen time."))
    return redirect(newsletter)


@coordinators_only
@require_POST
def newsletter_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newsletter = access_or_404(Newsletter.objects.all(), pk=pk)
    return _run(
        request,
        newsletter,
        lambda: newsletter_services.cancel_schedule(newsletter=newsletter),
        _("The schedule has been cancelled; the newsletter is a draft again."),
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def newsletter_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET sums up who would get it, in which language, and offers to send it now or at a
    chosen time; only POST sends."""
    newsletter = access_or_404(Newsletter.objects.all(), pk=pk)
    if request.method == "GET":
        if not newsletter.is_editable:
            messages.info(request, _("This newsletter has already been sent."))
            return redirect(newsletter)
        return render(
            request,
            "messaging/newsletter_send.html",
            {
                "newsletter": newsletter,
                "summary": selectors.recipient_summary(newsletter),
                "schedule_form": ScheduleForm(
                    initial={"send_at": newsletter.scheduled_at} if newsletter.scheduled_at else {}
                ),
            },
        )
    return _run(
        request,
        newsletter,
        lambda: newsletter_services.send_newsletter_now(newsletter=newsletter),
        _("The newsletter is being sent."),
    )


@coordinators_only
def translation_edit(
    request: AuthenticatedHttpRequest, pk: int, language: str | None = None
) -> HttpResponse:
    newsletter = access_or_404(Newsletter.objects.all(), pk=pk)
    translation = (
        access_or_404(newsletter.translations.all(), language=language) if language else None
    )
    if not newsletter.is_editable:
        messages.error(request, _("A newsletter that has been sent can no longer be changed."))
        return redirect(newsletter)
    form = NewsletterTranslationForm(
        request.POST or None, instance=translation, newsletter=newsletter
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The translation has been saved."))
        return redirect(newsletter)
    return render(
        request,
        "messaging/newslettertranslation_form.html",
        {"form": form, "newsletter": newsletter, "translation": translation},
    )


@coordinators_only
@require_POST
def translation_delete(request: AuthenticatedHttpRequest, pk: int, language: str) -> HttpResponse:
    newsletter = access_or_404(Newsletter.objects.all(), pk=pk)
    translation = access_or_404(newsletter.translations.all(), language=language)
    if newsletter.is_editable:
        translation.delete()
        messages.success(request, _("The translation has been removed."))
    return redirect(newsletter)


def newsletter_archive(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everyone signed in can read past newsletters; drafts stay with the coordinators."""
    page = Paginator(selectors.sent_newsletters(), 25).get_page(request.GET.get("page"))
    return render(request, "messaging/newsletter_archive.html", {"page": page})


def newsletter_archive_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newsletter = access_or_404(selectors.sent_newsletters().prefetch_related("translations"), pk=pk)
    language, subject, body = newsletter_version(newsletter, request.LANGUAGE_CODE)
    return render(
        request,
        "messaging/newsletter_archive_detail.html",
        {
            "newsletter": newsletter,
            "subject": subject,
            "body_html": markdown_to_safe_html(body),
            "content_language": language,
        },
    )
