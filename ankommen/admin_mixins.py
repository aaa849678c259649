"""Small pieces that several apps' admin classes share."""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models, router, transaction
from django.http import HttpRequest, HttpResponse

from ankommen.audit.reads import filters_on_sensitive_fields, people_in
from ankommen.audit.services import record_reads
from ankommen.audit.tracking import is_tracked, note_change, one_entry_per_change

# Rows per changelist page for tables that grow with the city: each admin row costs about a
# millisecond to render, so Django's 100 made these pages the slowest of the portal.
LARGE_TABLE_PAGE = 50


class NoAddAdminMixin:
    """Rows come from the portal's services, which keep their rules (places, stages, who and
    when): the admin never adds one. For model admins and inlines alike."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdminMixin(NoAddAdminMixin):
    """A record of what happened: shown in the admin, never added or changed there. Deleting
    follows Django's permissions unless `can_delete` is False (the audit log)."""

    can_delete = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.can_delete and super().has_delete_permission(request, obj)  # type: ignore[misc]


class ReadOnlyInline(NoAddAdminMixin, admin.TabularInline):
    """Rows written elsewhere, listed on their parent's page: every one of `fields` is read only,
    and none is added or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.fields or ())


class ChangedByAdminMixin:
    """Records who saved the row (`changed_by`), for settings coordinators tune in the admin."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)  # type: ignore[misc]


class AuditedAdmin:
    """The admin leaves the same audit trail as the portal's own pages.

    A page that shows a person's sensitive fields records the read (ankommen.audit.reads):
    every change page, and the list when its columns or filters reveal them. One save of a
    person's record, inlines included, is one change entry naming the fields and parts.
    """

    # Paths from a row to the people it is about: "" is the row itself.
    people_shown: tuple[str, ...] = ("",)
    # The list's columns show special-category data (then every row shown is a read).
    list_shows_sensitive_fields = False

    def _record_reads(self, request: HttpRequest, rows: Iterable[models.Model]) -> None:
        people = people_in(rows, self.people_shown)
        if people:
            record_reads(by=request.user, people=people, via=request.resolver_match.view_name)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        with transaction.atomic(using=router.db_for_write(self.model)), one_entry_per_change():  # type: ignore[attr-defined]
            response = super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if shown is not None:
            self._record_reads(request, [shown])
        return response

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        if change and is_tracked(type(form.instance)):
            note_change(
                form.instance,
                [
                    formset.fk.remote_field.get_accessor_name()
                    for formset in formsets
                    if formset.has_changed()
                ],
            )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None and (
            self.list_shows_sensitive_fields
            or filters_on_sensitive_fields(changelist.model, request.GET.items())
        ):
            self._record_reads(request, changelist.result_list)
        return response
