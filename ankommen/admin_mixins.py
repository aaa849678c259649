"""Small pieces that several apps' admin classes share."""

from typing import Any

# Rows per changelist page for tables that grow with the city: each admin row costs about a
# millisecond to render, so Django's 100 made these pages the slowest of the portal.
LARGE_TABLE_PAGE = 50


class ChangedByAdminMixin:
    """Records who saved the row (`changed_by`), for settings coordinators tune in the admin."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)  # type: ignore[misc]
