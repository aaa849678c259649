"""The key pages of a city-scale installation and who opens them: measured by bench/pages.py,
and their query counts pinned at two data sizes by tests/test_page_queries.py."""

from django.test import Client
from django.urls import reverse

from ankommen.accounts.models import User
from matching.models import MatchingRun
from refugees.models import Newcomer
from refugees.services import issue_access_link
from trainings.models import Session
from volunteers.models import Volunteer

DEMO_STAFF = {
    "coordinator": "coordinator@demo.ankommen.example",
    "volunteer": "volunteer@demo.ankommen.example",
    "admin": "admin@demo.ankommen.example",
    "partner": "partner@demo.ankommen.example",
}


def key_pages() -> dict[str, tuple[str, str]]:
    """Page name -> (who, path). Objects are the first of their kind, so every run is alike."""
    volunteer = Volunteer.objects.order_by("pk").first()
    newcomer = Newcomer.objects.order_by("pk").first()
    session = Session.objects.order_by("-confirmed_count", "pk").first()
    run = MatchingRun.objects.order_by("-pk").first()
    return {
        "coordinator dashboard": ("coordinator", reverse("cockpit:dashboard")),
        "card file": ("coordinator", reverse("volunteers:card_file")),
        "card file, filtered": (
            "coordinator",
            reverse("volunteers:card_file") + "?stage=ready&stage=active&language=1&ordering=name",
        ),
        "volunteer detail": (
            "coordinator",
            reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
        ),
        "newcomer list": ("coordinator", reverse("refugees:newcomer_list")),
        "newcomer view": ("newcomer", reverse("newcomer:home")),
        "translation queue": ("volunteer", reverse("translations:queue") + "?language=ar"),
        "training catalogue": ("volunteer", reverse("trainings:catalogue")),
        "session page": ("volunteer", reverse("trainings:session_detail", args=[session.pk])),
        "matching proposals": ("coordinator", reverse("matching:run_detail", args=[run.pk])),
        "gap matrix": ("coordinator", reverse("workgroups:gaps")),
        "partner desk": ("partner", reverse("partners:home")),
        "partner referrals": ("partner", reverse("partners:referral_inbox")),
        "ways to help (public)": ("visitor", reverse("board:board")),
        "admin: volunteers": ("admin", "/admin/volunteers/volunteer/"),
        "admin: newcomers": ("admin", "/admin/refugees/newcomer/"),
        "admin: outbox": ("admin", "/admin/messaging/outboxmessage/"),
        "admin: mentorships": ("admin", "/admin/matching/mentorship/"),
        "admin: training sessions": ("admin", "/admin/trainings/session/"),
        "newcomer detail": ("coordinator", reverse("refugees:newcomer_detail", args=[newcomer.pk])),
    }


def signed_in_clients() -> dict[str, Client]:
    signed_in = {}
    for role, email in DEMO_STAFF.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        client.force_login(User.objects.get(email=email))
        signed_in[role] = client
    newcomer_client = Client(HTTP_ACCEPT_LANGUAGE="de")
    newcomer = Newcomer.objects.filter(user__isnull=False).order_by("pk").first() or (
        Newcomer.objects.order_by("pk").first()
    )
    card = issue_access_link(
        newcomer=newcomer, by=User.objects.get(email=DEMO_STAFF["coordinator"])
    )
    newcomer_client.get(f"/n/{card.token}/")
    signed_in["newcomer"] = newcomer_client
    signed_in["visitor"] = Client(HTTP_ACCEPT_LANGUAGE="de")
    return signed_in
