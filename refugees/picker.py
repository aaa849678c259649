"""How coordinators find one newcomer among thousands (signing up, referring, matching): by
name or record number, told apart by year of birth, district and languages."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ankommen.person_picker import MAX_RESULTS, PeopleDirectory, PickerEntry
from refugees import selectors
from refugees.models import Newcomer


def describe(newcomer: Newcomer) -> PickerEntry:
    """Name first, then what differs between namesakes; languages as the lists show them."""
    details = []
    if newcomer.birth_year:
        details.append(_("born %(year)s") % {"year": newcomer.birth_year})
    elif newcomer.age_group:
        details.append(newcomer.get_age_group_display())
    if newcomer.district:
        details.append(newcomer.district.localized_name)
    languages = ", ".join(skill.language.code for skill in newcomer.languages.all())
    if languages:
        details.append(languages)
    details.append(pgettext("record number", "no. %(number)s") % {"number": newcomer.pk})
    return PickerEntry(newcomer.pk, newcomer.full_name, tuple(details))


def find(text: str) -> list[PickerEntry]:
    return [describe(newcomer) for newcomer in selectors.newcomers_found(text)[:MAX_RESULTS]]


NEWCOMERS = PeopleDirectory(
    search_url_name="refugees:newcomer_search",
    find=find,
    search_label=gettext_lazy("Find a newcomer by name or record number"),
)
