"""Who acts for which partner organisation.

Acting for an organisation comes from an active `PartnerStaff` row (accepted, not ended), never
from the account's role: `Role.PARTNER` only says that the account exists for this work and
has no volunteer pages. One person may act for several organisations, an organisation may
have several people, and ending a row takes effect on that person's next request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workgroups.models import Partner


class PartnerStaffQuerySet(models.QuerySet["PartnerStaff"]):
    def active(self) -> "PartnerStaffQuerySet":
        return self.filter(accepted_at__isnull=False, ended_at__isnull=True, user__is_active=True)

    def pending(self) -> "PartnerStaffQuerySet":
        return self.filter(accepted_at__isnull=True, ended_at__isnull=True)


class PartnerStaff(models.Model):
    partner = models.ForeignKey(
        Partner, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_roles"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited on"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("access ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PartnerStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner staff member")
        verbose_name_plural = _("partner staff")
        ordering = ["partner__name", "user__full_name"]
        constraints = [
            # Ended rows stay as the record of who had access when; one open row per pair.
            models.UniqueConstraint(
                fields=["partner", "user"],
                condition=Q(ended_at__isnull=True),
                name="partners_staff_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.partner}"

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.ended_at is None
