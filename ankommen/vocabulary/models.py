from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class VocabularyQuerySet(models.QuerySet):
    """Reference data that coordinators keep: retired entries stay on the records holding them."""

    def offered(self, *, keeping: Iterable[int] = ()) -> "VocabularyQuerySet":
        """What a form or filter offers to choose: the entries in use, plus the retired ones
        the record at hand already holds, so that editing it keeps them."""
        kept = [pk for pk in keeping if pk is not None]
        if not kept:
            return self.filter(is_active=True)
        return self.filter(Q(is_active=True) | Q(pk__in=kept))


class RetirableMixin(models.Model):
    """An entry is retired, never deleted: records keep it, new choices no longer offer it."""

    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_("Retired entries stay on the records that hold them, but are not offered."),
    )

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True

    def marked(self, name: str) -> str:
        """The name, with a note when the entry is retired (records still show it)."""
        if self.is_active:
            return name
        return gettext("%(name)s (no longer offered)") % {"name": name}


class LocalizedNameMixin(RetirableMixin):
    """Editable reference data carries its own translations: gettext cannot know new entries."""

    name = models.CharField(_("name"), max_length=100)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Names in other languages, e.g. {"en": "Housing", "ar": "السكن"}.'),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return self.marked(self.translations.get(language) or self.name)


class Language(RetirableMixin):
    """A language people speak; its own name is shown in its own script."""

    class Direction(models.TextChoices):
        LTR = "ltr", _("Left to right")
        RTL = "rtl", _("Right to left")

    code = models.CharField(
        _("code"), max_length=12, unique=True, help_text=_("ISO 639 code, e.g. ar or prs.")
    )
    name_en = models.CharField(_("name in English"), max_length=100)
    name_native = models.CharField(_("name in the language itself"), max_length=100)
    direction = models.CharField(
        _("text direction"), max_length=3, choices=Direction, default=Direction.LTR
    )
    is_common = models.BooleanField(
        _("commonly needed"),
        default=False,
        help_text=_("Listed first where people choose a language."),
    )

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["-is_common", "name_en"]

    def __str__(self) -> str:
        if self.name_native and self.name_native != self.name_en:
            return self.marked(f"{self.name_native} ({self.name_en})")
        return self.marked(self.name_en)


class Theme(LocalizedNameMixin):
    """An integration theme that needs, offers, groups and trainings are sorted by."""

    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]


class District(LocalizedNameMixin):
    """A district (Stadtteil or Stadtbezirk) of the city the network works in."""

    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]


class LanguageLevel(models.TextChoices):
    """How well someone speaks a language, best first."""

    NATIVE = "native", _("Native")
    FLUENT = "fluent", _("Fluent")
    CONVERSATIONAL = "conversational", _("Conversational")
    BASIC = "basic", _("Basic")
