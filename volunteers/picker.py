"""How coordinators find one volunteer among thousands (matching by hand): by name, e-mail or
record number, told apart by stage, district and languages."""

from django.utils.translation import gettext_lazy, pgettext

from ankommen.person_picker import MAX_RESULTS, PeopleDirectory, PickerEntry
from volunteers import selectors
from volunteers.models import Volunteer


def describe(volunteer: Volunteer) -> PickerEntry:
    """Name first, then what differs between namesakes; languages as the card file shows them."""
    details = [volunteer.get_stage_display()]
    if volunteer.district:
        details.append(volunteer.district.localized_name)
    languages = ", ".join(skill.language.code for skill in volunteer.languages.all())
    if languages:
        details.append(languages)
    details.append(pgettext("record number", "no. %(number)s") % {"number": volunteer.pk})
    return PickerEntry(volunteer.pk, volunteer.user.full_name, tuple(details))


def find(text: str) -> list[PickerEntry]:
    return [describe(volunteer) for volunteer in selectors.volunteers_found(text)[:MAX_RESULTS]]


VOLUNTEERS = PeopleDirectory(
    search_url_name="volunteers:volunteer_search",
    find=find,
    search_label=gettext_lazy("Find a volunteer by name, e-mail or record number"),
)
