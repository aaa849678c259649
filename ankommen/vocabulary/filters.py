"""List filters offer the districts, themes and languages offered, plus any a link asks for."""

from typing import Any

from ankommen.vocabulary.forms import ids_in
from ankommen.vocabulary.models import VocabularyQuerySet


class OffersCurrentVocabularyFilters:
    """For FilterSets: retired entries are not offered, but a link that filters by one (a
    bookmark, the count on the vocabulary page) still finds the records that hold it."""

    filters: dict[str, Any]
    data: Any
    form_prefix: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, chooser in self.filters.items():
            queryset = getattr(chooser, "queryset", None)
            if isinstance(queryset, VocabularyQuerySet):
                key = f"{self.form_prefix}-{name}" if self.form_prefix else name
                asked = self.data.getlist(key) if hasattr(self.data, "getlist") else []
                chooser.queryset = queryset.offered(keeping=ids_in(asked))
