"""`{% translated course "title" %}`: the reader's version of a text, or the German text marked
as German (its own `lang` and `dir`, isolated from the page's direction) with a quiet note that a
translation is on its way. `block=True` for texts of several lines (descriptions)."""

from django import template
from django.db import models
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ankommen.translated_content import SOURCE_LANGUAGE, reader_version

register = template.Library()


@register.simple_tag
def translated(value: models.Model | str, name: str = "", block: bool = False) -> SafeString:
    """`{% translated course "title" %}` for a record's field, `{% translated offer.title %}`
    for a text that knows its language (`ReaderText`); a plain text is taken as the reader's."""
    reader = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    if isinstance(value, models.Model):
        text, language = reader_version(value, name)
    else:
        text, language = str(value or ""), getattr(value, "language", reader)
    if not text:
        return SafeString("")
    shown = linebreaks_filter(text) if block else text
    if language == reader:
        return format_html("{}", shown)
    if block:
        return format_html(
            '<div lang="{}" dir="ltr">{}</div>'
            '<p class="small text-body-secondary translation-pending">{}</p>',
            language,
            shown,
            _("This text is in German; a translation is on its way."),
        )
    return format_html(
        '<bdi lang="{}" dir="ltr">{}</bdi> '
        '<small class="text-body-secondary translation-pending">({})</small>',
        language,
        shown,
        _("in German, translation on its way"),
    )
