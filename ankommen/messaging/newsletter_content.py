"""Newsletter text: Markdown in, sanitised HTML out, chosen in the recipient's language."""

from typing import Any

import markdown
import nh3

from ankommen.messaging.models import Newsletter

ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li", "ol", "p",
    "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Newsletters being sent never change, so their rendered text is kept per worker process,
# keyed by the moment sending started: an id alone could be reused after a deletion.
_frozen: dict[tuple[int, str, str], dict[str, str]] = {}


def markdown_to_safe_html(text: str) -> str:
    """Whatever a coordinator pastes, no script, style or event handler reaches a mailbox."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def newsletter_version(newsletter: Newsletter, language: str) -> tuple[str, str, str]:
    """The recipient's language if the newsletter has it, otherwise its main language."""
    if language != newsletter.language:
        for translation in newsletter.translations.all():
            if translation.language == language:
                return translation.language, translation.subject, translation.body
    return newsletter.language, newsletter.subject, newsletter.body


def sending_stamp(newsletter: Newsletter) -> str:
    started = newsletter.sending_started_at
    return started.isoformat() if started else ""


def newsletter_context(newsletter_id: int, language: str, stamp: str = "") -> dict[str, Any]:
    key = (newsletter_id, language, stamp)
    if stamp and key in _frozen:
        return _frozen[key]
    newsletter = Newsletter.objects.prefetch_related("translations").get(pk=newsletter_id)
    version_language, subject, body = newsletter_version(newsletter, language)
    content = {
        "subject": subject,
        "body_text": body,
        "body_html": markdown_to_safe_html(body),
        "content_language": version_language,
    }
    if stamp and stamp == sending_stamp(newsletter):
        if len(_frozen) > 256:
            _frozen.clear()
        _frozen[key] = content
    return content
