"""The translators' pages: the queue of a language, one text's work page, joining and leaving;
and the coordinators' request for translations of a record."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.translated_content import SOURCE_LANGUAGE
from translations import machine, selectors, services
from translations.forms import AskForm, DraftForm, SendBackForm
from translations.models import TranslationTask

translators_and_coordinators = role_required(Role.VOLUNTEER, Role.COORDINATOR, Role.ADMIN)
coordinators_only = role_required(Role.COORDINATOR, Role.ADMIN)

QUEUE_LENGTH = 50


@translators_and_coordinators
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    languages = selectors.translatable_languages(user)
    if not (selectors.is_coordinating(user) or selectors.is_translator(user)):
        return render(
            request,
            "translations/join.html",
            {"languages": selectors.language_choices(languages)},
        )
    language = request.GET.get("language", "")
    if language not in languages:
        language = languages[0] if languages else ""
    waiting = selectors.to_translate(language) if language else TranslationTask.objects.none()
    return render(
        request,
        "translations/queue.html",
        {
            "languages": selectors.language_choices(languages),
            "language": language,
            "mine": _described(selectors.in_progress_by(user)),
            "to_review": _described(selectors.to_review([language], reviewer=user)[:QUEUE_LENGTH]),
            "to_translate": _described(waiting[:QUEUE_LENGTH]),
            "waiting_count": waiting.count(),
            "overview": selectors.overview() if selectors.is_coordinating(user) else None,
            "is_translator": selectors.is_translator(user),
        },
    )


def _described(tasks: Iterable[TranslationTask]) -> list[tuple[TranslationTask, str]]:
    return [(task, selectors.describe(task)) for task in tasks]


@translators_and_coordinators
@require_http_methods(["GET", "POST"])
def task_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(selectors.visible_tasks(request.user), pk=pk)
    draft_form = DraftForm(
        initial={"text": task.draft, "minutes": task.minutes}, language=task.language
    )
    send_back_form = SendBackForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "suggest":
            draft_form = _with_suggestion(request, task)
        elif action in {"save", "submit"}:
            draft_form = DraftForm(request.POST, language=task.language)
        elif action == "send_back":
            send_back_form = SendBackForm(request.POST)
        try:
            done = (
                None
                if action == "suggest"
                else _act(request, task, action, draft_form, send_back_form)
            )
        except services.TranslationError as error:
            messages.error(request, str(error))
        else:
            if done is not None:
                messages.success(request, done)
                return redirect(_after(action, task))
    task = access_or_404(selectors.visible_tasks(request.user), pk=pk)
    return render(
        request,
        "translations/task.html",
        {
            "task": task,
            "kind": selectors.describe(task),
            "language_name": selectors.language_info(task.language)["name_local"],
            "language_bidi": selectors.language_info(task.language)["bidi"],
            "outdated": selectors.is_outdated(task),
            "lapsed": selectors.has_lapsed(task),
            "draft_form": draft_form,
            "send_back_form": send_back_form,
            "is_mine": task.translator_id == request.user.pk,
            "suggestions": machine.is_configured(),
            "is_reviewer": task.state == TranslationTask.State.SUBMITTED
            and task.translator_id != request.user.pk,
        },
    )


def _with_suggestion(request: AuthenticatedHttpRequest, task: TranslationTask) -> DraftForm:
    """The translation service's suggestion in the field, to be checked and edited: it is not
    saved, and like any draft it reaches readers only through a second person's review."""
    form = DraftForm(initial={"text": task.draft, "minutes": task.minutes}, language=task.language)
    if task.state != TranslationTask.State.CLAIMED or task.translator_id != request.user.pk:
        messages.error(request, _("Claim this text first; someone else may be working on it."))
        return form
    try:
        suggestion = machine.suggest(
            task.current_source,  # type: ignore[attr-defined]
            source=SOURCE_LANGUAGE,
            target=task.language,
        )
    except machine.SuggestionUnavailable as error:
        messages.error(request, str(error))
        return form
    messages.info(
        request,
        _("A suggestion from the translation service: check every word before you send it."),
    )
    return DraftForm(initial={"text": suggestion, "minutes": task.minutes}, language=task.language)


def _act(
    request: AuthenticatedHttpRequest,
    task: TranslationTask,
    action: str,
    draft_form: DraftForm,
    send_back_form: SendBackForm,
) -> str | None:
    """Carries out one button of the work page; the message to show, or None when the form
    has errors to show instead."""
    user = request.user
    if action == "claim":
        services.claim(task, by=user)
        return _("The text is yours to translate. Nobody else can take it meanwhile.")
    if action == "release":
        services.release(task, by=user)
        return _("You gave the text back; your draft stays for whoever takes it.")
    if action == "approve":
        services.approve(task, by=user)
        return _("Approved: readers see this translation from now on.")
    if action in {"save", "submit"}:
        if not draft_form.is_valid():
            return None
        text, minutes = draft_form.cleaned_data["text"], draft_form.cleaned_data["minutes"]
        if action == "save":
            services.save_draft(task, text=text, by=user)
            return _("Your draft has been saved.")
        services.submit(task, text=text, minutes=minutes, by=user)
        return _("Sent for review. A second translator or a coordinator checks it next.")
    if action == "send_back":
        if not send_back_form.is_valid():
            return None
        services.send_back(task, note=send_back_form.cleaned_data["note"], by=user)
        return _("Sent back to the translator with your note.")
    raise services.TranslationError(_("Please choose one of the buttons."))


def _after(action: str, task: TranslationTask) -> str:
    if action in {"claim", "save"}:
        return task.get_absolute_url()
    return f"{reverse('translations:queue')}?language={task.language}"


@role_required(Role.VOLUNTEER)
@require_POST
def join(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        services.join(user=request.user)
    except services.TranslationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Welcome to the translators. Here are the texts waiting."))
    return redirect("translations:queue")


@role_required(Role.VOLUNTEER)
@require_POST
def leave(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.leave(user=request.user)
    messages.success(
        request, _("You no longer translate. Texts you had taken are back in the queue.")
    )
    return redirect("translations:queue")


@coordinators_only
@require_POST
def ask(request: AuthenticatedHttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    """Asks for translations of one record's texts, from its page."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    item = selectors.translatable_for(model) if model is not None else None
    if item is None:
        raise Http404
    record = access_or_404(item.still_read(), pk=object_id)
    form = AskForm(request.POST)
    if form.is_valid():
        count = services.ask_for_translations(
            record, by=request.user, languages=form.cleaned_data["languages"]
        )
        messages.success(
            request,
            ngettext(
                "%(count)d text is now in the translators' queue.",
                "%(count)d texts are now in the translators' queue.",
                count,
            )
            % {"count": count}
            if count
            else _("These texts were asked for already; the translators' queue has them."),
        )
    else:
        messages.error(request, _("Choose at least one language."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("translations:queue")
    return redirect(back)
