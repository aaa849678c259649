"""Every URL, requested as every role: a URL without a rule here fails, so no view ships unguarded.

Each rule names the status a role gets on GET. "login" means: redirected to the sign-in page.
Object pages are requested with objects owned by someone else; forbidden ones answer 404.
The Django admin has its own permission system and is tested through its index only.
"""

from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.accounts.services import invite_code_for
from ankommen.messaging.models import NewsletterTranslation
from ankommen.vocabulary.models import District
from partners.models import PartnerStaff
from refugees.services import issue_access_link
from tests.factories import (
    HoursEntryFactory,
    ImportJobFactory,
    MatchingRunFactory,
    MembershipFactory,
    MentorshipFactory,
    NeedFactory,
    NetworkEventFactory,
    NewcomerFactory,
    NewsletterFactory,
    OfferFactory,
    PartnerFactory,
    PartnerNeedFactory,
    ProposalFactory,
    ReferralFactory,
    RegistrationFactory,
    SessionFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_second_factor,
    give_security_key,
)
from translations.models import TranslationTask

ROLES = ("anonymous", "newcomer", "volunteer", "lead", "partner", "coordinator", "admin")
LOGIN = "login"


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int = 200) -> dict[str, int | str]:
    return {**everyone(status), "anonymous": LOGIN}


def visitors_only() -> dict[str, int | str]:
    """allauth's entry pages send people who are signed in on to the start page."""
    return {**everyone(302), "anonymous": 200}


def staff_only() -> dict[str, int | str]:
    return {"anonymous": 302, "newcomer": 302, "volunteer": 302, "coordinator": 302, "admin": 200}


def own_volunteer_pages(status: int) -> dict[str, int | str]:
    return {
        "anonymous": LOGIN,
        "newcomer": 403,
        "volunteer": status,
        "coordinator": 403,
        "admin": 403,
    }


def newcomer_pages() -> dict[str, int | str]:
    """A card's session opens them; without a working card a newcomer account gets only the
    "link not valid" page, on every URL (tests/test_card_sessions.py)."""
    return {"anonymous": LOGIN, "newcomer": 200, "volunteer": 403, "coordinator": 403, "admin": 403}


def card_only(rule: dict[str, int | str]) -> dict[str, int | str]:
    """allauth's pages would give a newcomer account another way in than its card (an e-mail
    address, a password, a second factor): refused to it, signing out aside."""
    return {**rule, "newcomer": 403}


def network(status: int) -> dict[str, int | str]:
    """Volunteers and coordinators take part in the network; newcomers have their own view."""
    return {
        "anonymous": LOGIN,
        "newcomer": 403,
        "volunteer": status,
        "coordinator": status,
        "admin": status,
    }


def coordinators(status: int = 200) -> dict[str, int | str]:
    return {
        "anonymous": LOGIN,
        "newcomer": 403,
        "volunteer": 403,
        "coordinator": status,
        "admin": status,
    }


POLICY: dict[str, dict[str, int | str]] = {
    "healthz": everyone(200),
    "set_language": everyone(302),
    # Newcomers have their own start page, coordinators their dashboard: both are sent on.
    "home": {**everyone(200), "newcomer": 302, "partner": 302, "coordinator": 302, "admin": 302},
    # Partner staff (tests/partners): the partner in the objects is another organisation than
    # the one the partner role acts for. The invitation's link with a forged token is refused.
    "partners:home": {**coordinators(403), "partner": 200},
    "partners:welcome": everyone(400),
    "partners:staff_list": coordinators(),
    "partners:staff_end": coordinators(405),
    "partners:staff_resend": coordinators(405),
    # Exports and erasure ask for the password again first (302), like every other.
    "partners:my_data": {**coordinators(403), "partner": 302},
    "partners:account_export": coordinators(302),
    "partners:account_erase": coordinators(302),
    # The partner desk (tests/partners/test_desk.py, test_partner_tasks.py): pages of the
    # organisations one acts for; Caritas' objects are another organisation's, so missing (404).
    # Pages listing "my organisations' X" answer 200. POST-only actions answer GET with 405.
    "partners:profile_edit": {**coordinators(403), "partner": 404},
    "partners:offer_create": {**coordinators(403), "partner": 404},
    "partners:offer_edit": {**coordinators(403), "partner": 404},
    "partners:offer_retire": {**coordinators(403), "partner": 405},
    "partners:offer_reactivate": {**coordinators(403), "partner": 405},
    "partners:need_create": {**coordinators(403), "partner": 404},
    "partners:need_edit": {**coordinators(403), "partner": 404},
    "partners:need_close": {**coordinators(403), "partner": 405},
    "partners:need_reopen": {**coordinators(403), "partner": 405},
    "partners:task_create": {**coordinators(403), "partner": 404},
    "partners:task_detail": {**coordinators(403), "partner": 404},
    "partners:task_edit": {**coordinators(403), "partner": 404},
    "partners:task_close": {**coordinators(403), "partner": 404},
    "partners:task_reopen": {**coordinators(403), "partner": 405},
    "partners:events": {**coordinators(403), "partner": 200},
    "partners:event_reply": {**coordinators(403), "partner": 405},
    "partners:network": {**coordinators(403), "partner": 200},
    # Coordinators review partners' tasks; the object is Caritas' task waiting for review.
    "partners:task_review": coordinators(),
    "partners:task_approve": coordinators(405),
    "partners:task_decline": coordinators(),
    # The partner's inbox (tests/partners/test_referral_inbox.py): the referral in the objects
    # goes to Caritas, so the partner role (another organisation) finds no such referral.
    "partners:referral_inbox": {**coordinators(403), "partner": 200},
    "partners:referral_detail": {**coordinators(403), "partner": 404},
    "partners:referral_accept": {**coordinators(403), "partner": 405},
    "partners:referral_decline": {**coordinators(403), "partner": 405},
    "partners:referral_report": {**coordinators(403), "partner": 405},
    # GDPR exports and erasure first ask for the password again (302 to re-authenticate).
    "privacy:my_export": own_volunteer_pages(302),
    "privacy:retention": coordinators(),
    "privacy:processing": coordinators(),
    "privacy:retention_confirm": coordinators(405),
    "privacy:newcomer_export": coordinators(302),
    "privacy:newcomer_export_json": coordinators(302),
    "privacy:newcomer_erase": coordinators(302),
    "privacy:volunteer_export": coordinators(302),
    "privacy:volunteer_export_json": coordinators(302),
    "privacy:volunteer_erase": coordinators(302),
    "cockpit:dashboard": coordinators(),
    # The menu's person search.
    "search:people": coordinators(),
    "cockpit:report": coordinators(),
    "cockpit:import_start": coordinators(),
    "cockpit:import_detail": coordinators(),
    "cockpit:import_progress": coordinators(),
    "cockpit:import_confirm": coordinators(405),
    "cockpit:import_template": coordinators(),
    "cockpit:targets": coordinators(),
    "cockpit:target_add": coordinators(),
    "cockpit:target_edit": coordinators(),
    "cockpit:target_delete": coordinators(),
    # Volunteer translators (tests/translations): a volunteer who has not joined, or does not
    # translate the task's language, finds no task; joining and leaving are for volunteers.
    "translations:queue": network(200),
    "translations:task": {**network(200), "volunteer": 404},
    "translations:join": {**coordinators(403), "volunteer": 405},
    "translations:leave": {**coordinators(403), "volunteer": 405},
    "translations:ask": coordinators(405),
    # The districts, themes and languages the portal offers (tests/vocabulary).
    "vocabulary:entry_list": coordinators(),
    "vocabulary:entry_add": coordinators(),
    "vocabulary:entry_edit": coordinators(),
    "vocabulary:entry_retire": coordinators(),
    "vocabulary:entry_reactivate": coordinators(405),
    "admin:index": staff_only(),
    "accounts:account_settings": signed_in(),
    "account_login": card_only(visitors_only()),
    "account_signup": card_only(visitors_only()),
    "account_logout": {**signed_in(), "anonymous": 302},
    "account_inactive": card_only(everyone(200)),
    "account_reauthenticate": card_only(signed_in()),
    "account_email": card_only(signed_in()),
    "account_email_verification_sent": card_only(everyone(200)),
    "account_change_password": card_only(signed_in()),
    # People with a password are sent on to "change password".
    "account_set_password": card_only({**signed_in(302)}),
    "account_reset_password": card_only(everyone(200)),
    "account_reset_password_done": card_only(everyone(200)),
    "account_confirm_login_code": card_only(everyone(302)),
    # Second factor (allauth.mfa). Staff in these tests have TOTP set up, others have not;
    # activating needs a fresh sign-in (302 to re-authenticate), codes exist only once made.
    "mfa_index": card_only(signed_in()),
    "mfa_authenticate": card_only(everyone(302)),
    "mfa_reauthenticate": card_only(
        {**signed_in(302), "lead": 200, "partner": 200, "coordinator": 200, "admin": 200}
    ),
    "mfa_activate_totp": card_only(signed_in(302)),
    "mfa_deactivate_totp": card_only({**signed_in(302), "volunteer": 404}),
    "mfa_view_recovery_codes": card_only(signed_in(404)),
    "mfa_generate_recovery_codes": card_only(signed_in(302)),
    "mfa_download_recovery_codes": card_only(signed_in(404)),
    # Security keys: each person lists only their own. Adding, renaming and removing need a
    # fresh sign-in first (302); someone else's key is a 404 even then (tests/accounts).
    "mfa_list_webauthn": card_only(signed_in()),
    "mfa_add_webauthn": card_only(signed_in(302)),
    "mfa_reauthenticate_webauthn": card_only(signed_in(302)),
    "mfa_edit_webauthn": card_only(signed_in(302)),
    "mfa_remove_webauthn": card_only(signed_in(302)),
    "account_confirm_email": card_only(everyone(200)),
    "account_reset_password_from_key": card_only(everyone(200)),
    "account_reset_password_from_key_done": card_only(everyone(200)),
    "messaging:subscribe": everyone(200),
    # Links with a forged token are refused; a real token is tested in tests/messaging.
    "messaging:subscription_confirm": everyone(400),
    "messaging:unsubscribe": everyone(400),
    "messaging:my_subscription": signed_in(),
    "messaging:newsletter_archive": signed_in(),
    # A draft is not in the archive, for anyone.
    "messaging:newsletter_archive_detail": signed_in(404),
    "messaging:newsletter_list": coordinators(),
    "messaging:newsletter_create": coordinators(),
    "messaging:newsletter_detail": coordinators(),
    "messaging:newsletter_edit": coordinators(),
    "messaging:newsletter_progress": coordinators(),
    "messaging:newsletter_test": coordinators(405),
    "messaging:newsletter_schedule": coordinators(405),
    "messaging:newsletter_cancel": coordinators(405),
    # GET sums up the recipients and asks; only POST sends (tests/messaging).
    "messaging:newsletter_send": coordinators(),
    "messaging:translation_create": coordinators(),
    "messaging:translation_edit": coordinators(),
    "messaging:translation_delete": coordinators(405),
    "messaging:delivery_log": coordinators(),
    "accounts:invite": everyone(302),
    "accounts:sign_in_link_request": everyone(200),
    # Requested with a forged link: refused with a message (tests/accounts/test_sign_in_links.py).
    "accounts:sign_in_link": everyone(400),
    # A volunteer's own pages; without a profile yet, each leads to the consent step.
    # Plain volunteer accounts here have no profile yet (sent to start it); the lead has one.
    "volunteers:my_profile": {**own_volunteer_pages(302), "lead": 200},
    "volunteers:start": {**own_volunteer_pages(200), "lead": 302},
    "volunteers:wizard": {**own_volunteer_pages(302), "lead": 200},
    "volunteers:pause": own_volunteer_pages(405),
    "volunteers:resume": own_volunteer_pages(405),
    "volunteers:withdraw": {**own_volunteer_pages(302), "lead": 200},
    "volunteers:my_hours": {**own_volunteer_pages(302), "lead": 200},
    "volunteers:delete_hours": own_volunteer_pages(405),
    "volunteers:my_certificate": {**own_volunteer_pages(302), "lead": 200},
    "volunteers:card_file": coordinators(),
    "volunteers:card_file_export": coordinators(),
    "volunteers:card_file_bulk": coordinators(405),
    # Without a selection the summary has nothing to sum up: back to the card file.
    "volunteers:card_file_bulk_move": coordinators(302),
    # The person picker's search (JSON): coordinators only.
    "volunteers:volunteer_search": coordinators(),
    "volunteers:hours_review": coordinators(),
    "volunteers:hours_decide": coordinators(405),
    "volunteers:hours_bulk": coordinators(405),
    "volunteers:referrals": coordinators(),
    "volunteers:volunteer_detail": coordinators(),
    "volunteers:volunteer_move_stage": coordinators(405),
    "volunteers:volunteer_add_note": coordinators(405),
    "volunteers:volunteer_record_clearance": coordinators(405),
    # A forged card link: the "link no longer works" page, for everyone.
    "newcomer_access": everyone(410),
    "refugees:newcomer_list": coordinators(),
    "refugees:newcomer_create": coordinators(),
    "refugees:newcomer_search": coordinators(),
    "refugees:newcomer_detail": coordinators(),
    "refugees:newcomer_edit": coordinators(),
    "refugees:need_add": coordinators(405),
    "refugees:need_status": coordinators(405),
    "refugees:consent_add": coordinators(405),
    # GET says which card stops; only POST issues a new one (tests/refugees).
    "refugees:access_card": coordinators(),
    "refugees:access_revoke": coordinators(405),
    # The newcomer's own pages: only with a card that works (tests/refugees covers that).
    "newcomer:home": newcomer_pages(),
    "newcomer:contact": newcomer_pages(),
    "newcomer:appointments": newcomer_pages(),
    "newcomer:offers": newcomer_pages(),
    "newcomer:help": newcomer_pages(),
    "newcomer:help_sent": newcomer_pages(),
    "newcomer:language": newcomer_pages(),
    "calendar_feed": everyone(404),  # a forged feed token
    "trainings:catalogue": everyone(200),
    "trainings:session_detail": everyone(200),
    "trainings:session_calendar": everyone(200),
    # The board of ways to help is public; "I want to help" takes a POST only, and carrying
    # it on without a wish in the session goes back to the board.
    "board:board": everyone(200),
    "board:entry": everyone(200),
    "board:want": everyone(405),
    "board:carry_on": signed_in(302),
    "trainings:session_sign_up": own_volunteer_pages(405),
    "trainings:newcomer_sign_up": {**newcomer_pages(), "newcomer": 405},
    "trainings:registration_cancel": signed_in(405),
    # Someone else's certificate: only coordinators; for others it does not exist.
    "trainings:certificate": {**signed_in(404), "coordinator": 200, "admin": 200},
    "trainings:my_trainings": signed_in(),
    "trainings:feed_renew": signed_in(405),
    "trainings:feed_revoke": signed_in(405),
    "trainings:session_admin_list": coordinators(),
    "trainings:session_manage": coordinators(),
    "trainings:session_edit": coordinators(),
    "trainings:session_create": coordinators(),
    "trainings:series_create": coordinators(),
    "trainings:course_list": coordinators(),
    "trainings:course_create": coordinators(),
    "trainings:course_edit": coordinators(),
    "trainings:course_copy": coordinators(405),
    # A confirmation first: what is cancelled and who is told.
    "trainings:course_retire": coordinators(),
    "trainings:session_sign_up_newcomer": coordinators(405),
    # A confirmation first: who is removed, that they are told, who moves up.
    "trainings:session_cancel_registration": coordinators(),
    "trainings:session_cancel": coordinators(),
    "trainings:session_move": coordinators(405),
    # Trainers of the session may too (tests/trainings covers that); these roles are not.
    "trainings:attendance": {**coordinators(), "newcomer": 403, "volunteer": 403},
    # Trainers see the sessions they teach (tests/trainings covers that); these roles are not.
    "trainings:needs_attendance": coordinators(),
    # The network: volunteers and coordinators; leads' rights are tested in tests/workgroups.
    "workgroups:group_list": network(200),
    "workgroups:group_detail": network(200),
    "workgroups:group_join": {**network(403), "volunteer": 405},
    "workgroups:group_leave": network(405),
    "workgroups:request_decide": network(405),
    "workgroups:meeting_add": network(405),
    "workgroups:group_message": network(405),
    "workgroups:task_list": network(200),
    "workgroups:task_detail": network(200),
    "workgroups:task_sign_up": {**network(403), "volunteer": 405},
    "workgroups:task_cancel": network(405),
    # Leads keep the tasks of their own groups; this lead leads another group than the task's
    # (tests/workgroups/test_task_pages.py covers a lead of the task's group).
    "workgroups:task_create": {**coordinators(), "lead": 200},
    "workgroups:task_edit": coordinators(),
    "workgroups:task_close": coordinators(),  # the confirmation; closing is a POST
    "workgroups:task_reopen": network(405),
    "workgroups:gaps": coordinators(),
    "workgroups:gaps_csv": coordinators(),
    "workgroups:gap_cell": coordinators(),
    "workgroups:gap_offer_create": coordinators(),
    "workgroups:partner_list": network(200),
    "workgroups:partner_detail": network(200),
    # Coordinators keep partners, offers, needs and events (tests/workgroups: POSTs refused).
    "workgroups:partner_create": coordinators(),
    "workgroups:partner_edit": coordinators(),
    "workgroups:partner_retire": coordinators(),  # the confirmation; retiring is a POST
    "workgroups:partner_reactivate": coordinators(405),
    "workgroups:offer_create": coordinators(),
    "workgroups:offer_edit": coordinators(),
    "workgroups:offer_retire": coordinators(405),
    "workgroups:offer_reactivate": coordinators(405),
    "workgroups:need_edit": coordinators(),
    "workgroups:need_close": coordinators(405),
    "workgroups:need_reopen": coordinators(405),
    "workgroups:referrals": coordinators(),
    "workgroups:referral_outcome": coordinators(405),
    "workgroups:referral_withdraw": coordinators(),  # the confirmation; withdrawing is a POST
    "workgroups:events": network(200),
    "workgroups:event_reply": network(405),
    "workgroups:event_create": coordinators(),
    "workgroups:event_detail": coordinators(),
    "workgroups:event_edit": coordinators(),
    "workgroups:event_cancel": coordinators(),  # the confirmation; cancelling is a POST
    "workgroups:event_partner_reply": coordinators(405),
    "workgroups:mediator_requests": network(200),
    "workgroups:mediator_accept": {**network(403), "volunteer": 405},
    # Matching: coordinators only; volunteers see their own mentorships.
    "matching:runs": coordinators(),
    "matching:weights": coordinators(),
    "matching:run_detail": coordinators(),
    "matching:run_progress": coordinators(),
    "matching:proposal_accept": coordinators(405),
    "matching:proposal_reject": coordinators(405),
    "matching:my_mentorships": own_volunteer_pages(200),
    # Someone else's mentorship is missing for a volunteer.
    "matching:my_mentorship": own_volunteer_pages(404),
    "matching:my_mentorship_agreement": own_volunteer_pages(405),
    "matching:my_mentorship_feedback": own_volunteer_pages(405),
    "matching:mentorship_detail": coordinators(),
    "matching:mentorship_note": coordinators(),
    "matching:manual_match": coordinators(),
    # Someone else's mentorship does not exist for a newcomer.
    "matching:newcomer_feedback": {**newcomer_pages(), "newcomer": 404},
    "matching:mentorships": coordinators(),
    "matching:mentorship_move": coordinators(405),
    # GET says who is told and what happens to check-ins; only POST ends it (tests/matching).
    "matching:mentorship_end": coordinators(),
    "matching:mentorship_clear_flag": coordinators(405),
    # The token in the link is the proof; a forged one gets a friendly 400 for everyone.
    "matching:check_in": everyone(400),
}

SAMPLE_KWARGS = {"key": "not-a-real-key", "uidb36": "zz", "token": "forged-token"}


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            if pattern.namespace == "admin":
                yield "admin:index"
                continue
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


URL_NAMES = sorted(set(_url_names(get_resolver().url_patterns)))


def test_every_url_has_a_rule():
    missing = [name for name in URL_NAMES if name not in POLICY]

    assert missing == [], f"add these URLs to POLICY in {__file__}: {missing}"


def test_no_rule_is_left_for_a_url_that_is_gone():
    assert sorted(set(POLICY) - set(URL_NAMES)) == []


def _parameters(name: str) -> list[str]:
    resolver = get_resolver()
    for part in name.split(":")[:-1]:
        resolver = resolver.namespace_dict[part][1]
    possibilities = resolver.reverse_dict.getlist(name.split(":")[-1])
    return list(possibilities[0][0][0][1]) if possibilities else []


def _url(name: str, objects: dict[str, dict[str, object]]) -> str:
    """Fill path parameters with objects that exist, owned by someone other than the caller."""
    namespace = name.split(":")[0] if ":" in name else ""
    values = {**SAMPLE_KWARGS, **objects.get(namespace, {}), **objects.get(name, {})}
    kwargs = {parameter: values[parameter] for parameter in _parameters(name)}
    return reverse(name, kwargs=kwargs or None)


def _build_objects() -> dict[str, dict[str, object]]:
    """Path parameters that point at objects that exist, owned by someone other than the caller."""
    author = UserFactory(role=Role.COORDINATOR)
    newsletter = NewsletterFactory(created_by=author)
    NewsletterTranslation.objects.create(
        newsletter=newsletter, language="en", subject="Hello", body="Text"
    )
    someone = VolunteerFactory()
    group = WorkingGroupFactory(name="AG Wohnen")
    request = MembershipFactory(group=group, user=someone.user)
    task = TaskFactory(title="Umzugshilfe", helpers_needed=2, group=group)
    partner = PartnerFactory(name="Caritas", kind="counselling")
    offer = OfferFactory(partner=partner, title="Wohnberatung")
    partner_need = PartnerNeedFactory(partner=partner, description="Möbel")
    partner_task = TaskFactory(title="Begleitung", partner=partner, review="pending", is_open=False)
    staff = PartnerStaff.objects.create(partner=partner, user=UserFactory(role=Role.PARTNER))
    event = NetworkEventFactory(title="Netzwerkcafé")
    # A confirmed sign-up takes a place: the session's count says so, as the service keeps it.
    attended = RegistrationFactory(
        session=SessionFactory(confirmed_count=1), user=someone.user, attended=True
    )
    newcomer = NewcomerFactory()
    NeedFactory(newcomer=newcomer)
    referral = ReferralFactory(newcomer=newcomer, offer=offer)
    hours = HoursEntryFactory(volunteer=someone)
    run = MatchingRunFactory(state="done")
    proposal = ProposalFactory(run=run, volunteer=someone, newcomer=newcomer, score=50)
    pair = MentorshipFactory(volunteer=someone, newcomer=newcomer, flag="help")
    upload = ImportJobFactory(kind="partners", file_name="p.csv", started_by=author)
    target = TargetFactory(metric="friendships", value=500, changed_by=author)
    key = give_security_key(author)
    translation = TranslationTask.objects.create(
        content_type=ContentType.objects.get_for_model(offer),
        object_id=offer.pk,
        field="title",
        language="ar",
    )
    return {
        "translations": {
            "pk": translation.pk,
            "content_type_id": translation.content_type_id,
            "object_id": offer.pk,
        },
        "cockpit": {"pk": upload.pk, "kind": "partners"},
        "cockpit:target_edit": {"pk": target.pk},
        "cockpit:target_delete": {"pk": target.pk},
        "vocabulary": {"kind": "districts", "pk": District.objects.get(slug="mitte").pk},
        "mfa_edit_webauthn": {"pk": key.pk},
        "mfa_remove_webauthn": {"pk": key.pk},
        "privacy": {"pk": newcomer.pk},
        "privacy:volunteer_export": {"pk": someone.pk},
        "privacy:volunteer_export_json": {"pk": someone.pk},
        "privacy:volunteer_erase": {"pk": someone.pk},
        "matching": {"pk": run.pk},
        "matching:proposal_accept": {"pk": proposal.pk},
        "matching:proposal_reject": {"pk": proposal.pk},
        "matching:mentorship_move": {"pk": pair.pk},
        "matching:mentorship_end": {"pk": pair.pk},
        "matching:mentorship_clear_flag": {"pk": pair.pk},
        "matching:my_mentorship": {"pk": pair.pk},
        "matching:my_mentorship_agreement": {"pk": pair.pk},
        "matching:my_mentorship_feedback": {"pk": pair.pk},
        "matching:mentorship_detail": {"pk": pair.pk},
        "matching:mentorship_note": {"pk": pair.pk},
        "matching:manual_match": {"pk": newcomer.pk},
        "matching:newcomer_feedback": {"pk": pair.pk},
        "messaging": {"pk": newsletter.pk, "language": "en"},
        "volunteers": {"pk": someone.pk, "step": 1, "file_format": "csv"},
        "volunteers:delete_hours": {"pk": hours.pk},
        "accounts": {"code": invite_code_for(someone.user)},
        "accounts:sign_in_link": {"token": "forged-link"},
        "trainings": {"pk": attended.session_id, "registration_pk": attended.pk},
        "board": {"kind": "task", "pk": task.pk},
        "workgroups": {
            "pk": group.pk,
            "membership_pk": request.pk,
            "theme": "housing",
            "district": "mitte",
        },
        "workgroups:partner_detail": {"pk": partner.pk},
        "partners:staff_list": {"pk": partner.pk},
        "partners:staff_end": {"pk": staff.pk},
        "partners:staff_resend": {"pk": staff.pk},
        "partners:account_export": {"pk": staff.user_id},
        "partners:account_erase": {"pk": staff.user_id},
        "partners:welcome": {"token": "forged"},
        **{
            f"partners:{name}": {"pk": partner.pk, "event_pk": event.pk}
            for name in (
                "profile_edit",
                "offer_create",
                "need_create",
                "task_create",
                "event_reply",
            )
        },
        **{
            f"partners:{name}": {"pk": offer.pk}
            for name in ("offer_edit", "offer_retire", "offer_reactivate")
        },
        **{
            f"partners:{name}": {"pk": partner_need.pk}
            for name in ("need_edit", "need_close", "need_reopen")
        },
        **{
            f"partners:{name}": {"pk": partner_task.pk}
            for name in (
                "task_detail",
                "task_edit",
                "task_close",
                "task_reopen",
                "task_approve",
                "task_decline",
            )
        },
        **{
            f"workgroups:{name}": {"pk": partner.pk}
            for name in ("partner_edit", "partner_retire", "partner_reactivate", "offer_create")
        },
        **{
            f"workgroups:{name}": {"pk": offer.pk}
            for name in ("offer_edit", "offer_retire", "offer_reactivate")
        },
        **{
            f"workgroups:{name}": {"pk": partner_need.pk}
            for name in ("need_edit", "need_close", "need_reopen")
        },
        **{
            f"workgroups:{name}": {"pk": event.pk}
            for name in ("event_detail", "event_edit", "event_cancel", "event_partner_reply")
        },
        "workgroups:referral_outcome": {"pk": referral.pk},
        "workgroups:referral_withdraw": {"pk": referral.pk},
        **{
            f"partners:{name}": {"pk": referral.pk}
            for name in (
                "referral_detail",
                "referral_accept",
                "referral_decline",
                "referral_report",
            )
        },
        "workgroups:event_reply": {"pk": partner.pk},
        "workgroups:mediator_accept": {"pk": partner.pk},
        **{
            f"workgroups:{name}": {"pk": task.pk}
            for name in (
                "task_detail",
                "task_sign_up",
                "task_cancel",
                "task_edit",
                "task_close",
                "task_reopen",
            )
        },
        "trainings:registration_cancel": {"pk": attended.pk},
        "trainings:course_edit": {"pk": attended.session.course_id},
        "trainings:course_copy": {"pk": attended.session.course_id},
        "trainings:course_retire": {"pk": attended.session.course_id},
        "trainings:certificate": {"pk": attended.pk},
        "refugees": {
            "pk": newcomer.pk,
            "need_pk": newcomer.needs.get().pk,
            "link_pk": issue_access_link(newcomer=newcomer, by=author).link.pk,
        },
    }


@pytest.fixture
def objects(db):
    """The objects for one test of its own (other modules' tests change them)."""
    return _build_objects()


def _user_for(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "admin":
        return UserFactory(admin=True)
    if role == "partner":
        # Someone acting for another organisation than the one in the objects, with the
        # second factor partner staff must have.
        user = UserFactory(role=Role.PARTNER)
        PartnerStaff.objects.create(
            partner=PartnerFactory(name="Andere Organisation"),
            user=user,
            accepted_at=timezone.now(),
        )
        give_second_factor(user)
        return user
    if role == "lead":
        # A working-group lead of another group than the one in the objects, with the second
        # factor leads must have.
        user = VolunteerFactory().user
        MembershipFactory(group=WorkingGroupFactory(name="AG Sprache"), user=user, lead=True)
        give_second_factor(user)
        return user
    return UserFactory(role=Role(role))


@dataclass(frozen=True)
class World:
    objects: dict[str, dict[str, object]]
    people: dict[str, int]  # role -> the primary key of that role's account
    card_token: str  # newcomer accounts open only with their card


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The objects and one person per role, built once for the ~1000 tests of this module.

    They live in a transaction left open until the module is done; each test runs in a
    savepoint inside it that is rolled back after the test, so every test starts from these
    same rows, as if it had built them itself.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            objects = _build_objects()
            people = {
                role: _user_for(role).pk for role in ROLES if role not in {"anonymous", "newcomer"}
            }
            card = issue_access_link(
                newcomer=NewcomerFactory(), by=UserFactory(role=Role.COORDINATOR)
            )
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield World(objects=objects, people=people, card_token=card.token)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _expected(name: str, role: str) -> int | str:
    """A lead is a volunteer with more duties; where a rule does not name leads, they get
    what volunteers get. Partner staff have no volunteer pages and no newcomers' records:
    where a rule does not name them, pages that only volunteers or coordinators open refuse
    them (403) and the rest answer them as they answer volunteers."""
    rule = POLICY[name]
    if role == "lead":
        return rule.get(role, rule["volunteer"])
    if role == "partner":
        return rule.get(role, _partner_default(rule))
    return rule[role]


def _partner_default(rule: dict[str, int | str]) -> int | str:
    if rule["newcomer"] == 403 and rule["volunteer"] != 403 and rule["coordinator"] != 403:
        return 403  # the network's pages for volunteers and coordinators
    if rule["newcomer"] == 403 and rule["volunteer"] == 403:
        return 403  # coordinators' pages
    if rule["newcomer"] == 403 and rule["coordinator"] == 403:
        return 403  # a volunteer's own pages
    return rule["volunteer"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_url_answers_each_role_as_the_policy_says(client, world, name, role):
    expected = _expected(name, role)
    if role == "newcomer":
        client.get(reverse("newcomer_access", args=[world.card_token]))
    elif role != "anonymous":
        client.force_login(User.objects.get(pk=world.people[role]))

    response = client.get(_url(name, world.objects), headers={"accept-language": "de"})

    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected
