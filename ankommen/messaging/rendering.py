"""Turning an outbox row into an e-mail in the recipient's language."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from ankommen.translated_content import in_language


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def render_mail(*, template: str, context: dict[str, Any], language: str) -> RenderedMail:
    """Templates follow allauth's naming: <template>_subject.txt and _message.txt.

    The HTML part is one shared layout around either <template>_message.html, where a message
    has real HTML (newsletters), or the plain text; nobody maintains two versions of a message.
    """
    full_context = {
        "portal_name": settings.PORTAL_NAME,
        "portal_url": settings.PORTAL_URL,
        # Course titles, places, event titles: the reader's version where one was written.
        **{key: in_language(value, language) for key, value in context.items()},
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        text = render_to_string(f"{template}_message.txt", full_context).strip()
        try:
            body_html: str | None = render_to_string(f"{template}_message.html", full_context)
        except TemplateDoesNotExist:
            body_html = None
        html = render_to_string(
            "messaging/email/layout.html",
            {**full_context, "subject": subject, "body_text": text, "body_html": body_html},
        )
    return RenderedMail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", text=text, html=html
    )
