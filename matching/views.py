"""Coordinators run the engine and review proposals; volunteers see their own mentorships."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.audit.services import record_reads
from ankommen.http import AuthenticatedHttpRequest
from ankommen.person_picker import record_number
from matching import checkins, pairs, selectors, services
from matching.explain import CRITERION_LABELS, leftover_texts, score_parts
from matching.forms import (
    AgreementForm,
    CheckInForm,
    EndForm,
    FeedbackForm,
    ManualMatchForm,
    MoveForm,
    RejectForm,
    RunForm,
    WeightsForm,
)
from matching.lifecycle import allowed_moves
from matching.models import MAX_WEIGHT, ClosingFeedback, MatchingRun, Mentorship, Proposal
from matching.scoring import CRITERIA
from refugees.models import Newcomer
from refugees.permissions import NewcomerHttpRequest, newcomer_required
from refugees.selectors import SharedContacts, shared_contacts

coordinators_only = role_required(Role.COORDINATOR)
# A proposal is a card with its score broken down, runners-up and forms; 25 keep the page
# light (50 made it 110 KB and its slowest key page at city scale).
PER_PAGE = 25
# Newcomers without a proposal, explained; paged on their own, as a long list was half the
# page's rendering time.
LEFTOVERS_PER_PAGE = 25


@coordinators_only
@require_http_methods(["GET", "POST"])
def runs(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = services.start_run(scope=form.scope(), by=request.user)
        return redirect("matching:run_detail", pk=run.pk)
    current = services.current_weights()
    return render(
        request,
        "matching/runs.html",
        {
            "form": form,
            "runs": selectors.recent_runs(),
            "weights": [(CRITERION_LABELS[name], current[name]) for name in CRITERIA],
        },
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def weights(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The weights with what each one rewards, and who changed them when."""
    form = WeightsForm(request.POST or None, initial=services.current_weights())
    if request.method == "POST" and form.is_valid():
        try:
            services.set_weights(
                weights={name: form.cleaned_data[name] for name in CRITERIA}, by=request.user
            )
        except services.WeightsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The new weights count from the next run on."))
            return redirect("matching:weights")
    if form.is_bound:
        messages.error(request, _("The weights were not changed. Please check the marked values."))
    history = [
        (
            change.row,
            [
                (CRITERION_LABELS[name], getattr(change.row, name), name in change.changed)
                for name in CRITERIA
            ],
        )
        for change in selectors.weights_history()
    ]
    return render(
        request,
        "matching/weights.html",
        {"form": form, "history": history, "max_weight": MAX_WEIGHT},
        status=400 if form.is_bound else 200,
    )


@coordinators_only
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = access_or_404(MatchingRun.objects.select_related("started_by"), pk=pk)
    page = Paginator(selectors.run_proposals(run), PER_PAGE).get_page(request.GET.get("page"))
    proposals = list(page)
    runner_ups = selectors.runner_up_volunteers(proposals)
    rows = [
        {
            "proposal": proposal,
            "parts": score_parts(proposal.components, run.weights),
            "runner_ups": [runner_ups[pk] for pk in proposal.runner_ups if pk in runner_ups],
        }
        for proposal in proposals
    ]
    left_page = Paginator(selectors.run_leftovers(run), LEFTOVERS_PER_PAGE).get_page(
        request.GET.get("left")
    )
    left = list(left_page)
    texts = leftover_texts(left)
    return render(
        request,
        "matching/run_detail.html",
        {
            "run": run,
            "rows": rows,
            "page": page,
            "leftovers": [(leftover, texts[leftover.pk]) for leftover in left],
            "left_page": left_page,
            "reject_form": RejectForm(),
        },
    )


@coordinators_only
def run_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = access_or_404(MatchingRun.objects.all(), pk=pk)
    return render(request, "matching/partials/_run_progress.html", {"run": run})


@coordinators_only
@require_POST
def proposal_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = access_or_404(Proposal.objects.select_related("run"), pk=pk)
    runner_up = request.POST.get("runner_up", "")
    try:
        services.accept_proposal(
            proposal=proposal,
            by=request.user,
            runner_up_id=int(runner_up) if runner_up.isdigit() else None,
        )
    except services.MatchRefusedError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("Accepted. Record the first meeting under Mentorships once they have met.")
        )
    return redirect("matching:run_detail", pk=proposal.run_id)


@coordinators_only
@require_POST
def proposal_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = access_or_404(Proposal.objects.select_related("run"), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say why the pair does not fit."))
    else:
        try:
            services.reject_proposal(
                proposal=proposal, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.MatchRefusedError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Rejected; later runs will not propose this pair again."))
    return redirect("matching:run_detail", pk=proposal.run_id)


@role_required(Role.VOLUNTEER)
def my_mentorships(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "matching/my_mentorships.html",
        {"mentorships": selectors.mentorships_of(request.user)},
    )


@coordinators_only
def mentorships(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state") or ""
    page = Paginator(selectors.mentorship_list(state), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/mentorships.html",
        {
            "page": page,
            "rows": [(mentorship, allowed_moves(mentorship.state)) for mentorship in page],
            "state": state,
            "states": Mentorship.State.choices,
            "end_reasons": Mentorship.EndReason.choices,
        },
    )


@coordinators_only
@require_POST
def mentorship_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentorship = access_or_404(Mentorship.objects.all(), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the date and the state."))
        return _back_to_list_or_detail(request, mentorship)
    if form.cleaned_data["to_state"] == Mentorship.State.ENDED:
        # An end is not undone: the confirmation says who is told, then asks.
        url = reverse("matching:mentorship_end", args=[mentorship.pk])
        reason = form.cleaned_data["end_reason"]
        return redirect(f"{url}?{urlencode({'end_reason': reason})}" if reason else url)
    try:
        services.move_mentorship(
            mentorship=mentorship,
            to_state=form.cleaned_data["to_state"],
            first_meeting_on=form.cleaned_data["first_meeting_on"],
            first_meeting_place=form.cleaned_data["first_meeting_place"],
            end_reason=form.cleaned_data["end_reason"],
        )
    except services.MatchRefusedError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Saved."))
    return _back_to_list_or_detail(request, mentorship)


@coordinators_only
@require_http_methods(["GET", "POST"])
def mentorship_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET says who is told and what becomes of the check-ins; only POST ends the mentorship."""
    mentorship = access_or_404(selectors.mentorship_with_people(), pk=pk)
    if mentorship.state == Mentorship.State.ENDED:
        messages.info(request, _("This mentorship has ended."))
        return redirect("matching:mentorship_detail", pk=mentorship.pk)
    form = EndForm(request.POST or None, initial={"end_reason": request.GET.get("end_reason")})
    if request.method == "POST" and form.is_valid():
        try:
            services.move_mentorship(
                mentorship=mentorship,
                to_state=Mentorship.State.ENDED,
                end_reason=form.cleaned_data["end_reason"],
            )
        except services.MatchRefusedError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The mentorship has ended."))
        return redirect("matching:mentorship_detail", pk=mentorship.pk)
    return render(
        request,
        "matching/mentorship_end.html",
        {"mentorship": mentorship, "form": form, "ending": selectors.ending_of(mentorship)},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail; GET only fills in the answer, since mail scanners open links."""
    form = CheckInForm(request.POST or None, initial={"answer": request.GET.get("answer")})
    try:
        record = checkins.open_check_in(token)
        if form.is_valid():
            data = form.cleaned_data
            checkins.answer_check_in(token, data["answer"], data["note"])
            return render(request, "matching/check_in.html", {"check_in": record, "done": True})
    except checkins.CheckInError as error:
        return render(request, "matching/check_in_invalid.html", {"error": str(error)}, status=400)
    return render(
        request,
        "matching/check_in.html",
        {"check_in": record, "form": form},
    )


@coordinators_only
@require_POST
def mentorship_clear_flag(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentorship = access_or_404(Mentorship.objects.all(), pk=pk)
    checkins.clear_flag(mentorship)
    messages.success(request, _("Marked as taken care of."))
    return _back_to_list_or_detail(request, mentorship)


def _back_to_list_or_detail(
    request: AuthenticatedHttpRequest, mentorship: Mentorship
) -> HttpResponse:
    """Both the list and a mentorship's own page post here; each gets its own page back."""
    if request.POST.get("next") == "detail":
        return redirect("matching:mentorship_detail", pk=mentorship.pk)
    return redirect("matching:mentorships")


@coordinators_only
def mentorship_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentorship = access_or_404(selectors.mentorship_with_people(), pk=pk)
    # Check-in notes and closing feedback: what the pair told about how things go.
    record_reads(
        by=request.user,
        people=[mentorship.newcomer, mentorship.volunteer],
        via=request.resolver_match.view_name,
    )
    return render(
        request,
        "matching/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "moves": allowed_moves(mentorship.state),
            "end_reasons": Mentorship.EndReason.choices,
            "check_ins": mentorship.checkins.all(),
            "feedback": mentorship.feedback.all(),
        },
    )


@coordinators_only
def mentorship_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A note to hand or send to the newcomer, in their language: who, when, where."""
    mentorship = access_or_404(selectors.mentorship_with_people(), pk=pk)
    with translation.override(mentorship.newcomer.preferred_language):
        return render(request, "matching/mentorship_note.html", {"mentorship": mentorship})


@coordinators_only
@require_http_methods(["GET", "POST"])
def manual_match(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Search any volunteer for a newcomer; every hard rule a pair breaks is shown up front."""
    newcomer = access_or_404(
        Newcomer.objects.filter(closed_at__isnull=True).select_related("district"), pk=pk
    )
    mediators = pairs.mediators_for(newcomer)
    chosen = request.GET.get("mediator", "")
    mediator = mediators.filter(pk=chosen).first() if chosen.isdigit() else None
    query = request.GET.get("q", "").strip()[:100]
    # Picked in the search-as-you-type box, or typed as a record number: that one volunteer.
    picked = record_number(request.GET.get("volunteer", ""))
    one_volunteer = picked or record_number(query)
    if request.method == "POST":
        form = ManualMatchForm(request.POST, mediators=mediators)
        if form.is_valid():
            try:
                mentorship = services.match_manually(
                    newcomer=newcomer,
                    volunteer=form.cleaned_data["volunteer"],
                    by=request.user,
                    override_reason=form.cleaned_data["override_reason"],
                    mediator=form.cleaned_data["mediator"],
                )
            except services.MatchRefusedError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Matched. Record the first meeting to introduce them."))
                return redirect("matching:mentorship_detail", pk=mentorship.pk)
        else:
            messages.error(request, _("Please choose a volunteer and a mediator from the lists."))
    context = {
        "newcomer": newcomer,
        "query": query,
        "mediators": mediators,
        "mediator": mediator,
        "current": selectors.open_mentorship_of(newcomer),
    }
    if context["current"] is None:
        weights, today = services.current_weights(), timezone.localdate()
        if one_volunteer is not None:
            found = list(selectors.pairing_candidates().filter(pk=one_volunteer))
        elif query:
            found = list(selectors.search_volunteers(query)[: pairs.SUGGESTIONS * 2])
        else:
            found = []
        context["checks"] = pairs.check_pairs(newcomer, found, weights, today, mediator)
        context["suggestions"] = (
            [] if query or one_volunteer else pairs.suggestions(newcomer, weights, today)
        )
        context["chosen"] = one_volunteer
        context["picked"] = picked
    return render(request, "matching/manual_match.html", context)


def _own_mentorship(request: AuthenticatedHttpRequest, pk: int) -> Mentorship:
    return access_or_404(selectors.mentorships_of(request.user), pk=pk)


def _my_mentorship_page(
    request: AuthenticatedHttpRequest, mentorship: Mentorship, status: int = 200, **context: Any
) -> HttpResponse:
    """The newcomer's languages, and while the mentorship runs, the contacts they agreed to
    hand over; showing those is a read of the newcomer's record, and recorded as one."""
    contacts = (
        shared_contacts(mentorship.newcomer)
        if mentorship.state != Mentorship.State.ENDED
        else SharedContacts()
    )
    if contacts:
        record_reads(by=request.user, people=[mentorship.newcomer], via="matching:my_mentorship")
    return render(
        request,
        "matching/my_mentorship.html",
        {
            "mentorship": mentorship,
            "languages": mentorship.newcomer.languages.all(),
            "contacts": contacts,
            "feedback_form": FeedbackForm(),
            **context,
        },
        status=status,
    )


@role_required(Role.VOLUNTEER)
def my_mentorship(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentorship = access_or_404(selectors.my_mentorship(request.user), pk=pk)
    return _my_mentorship_page(
        request,
        mentorship,
        agreement_form=AgreementForm(
            instance=mentorship,
            initial={"agreed_on": mentorship.agreed_on or timezone.localdate()},
        ),
        feedback=mentorship.feedback.filter(side=ClosingFeedback.Side.VOLUNTEER).first(),
    )


@role_required(Role.VOLUNTEER)
@require_POST
def my_mentorship_agreement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentorship = access_or_404(selectors.my_mentorship(request.user), pk=pk)
    form = AgreementForm(request.POST, instance=mentorship)
    if not form.is_valid():
        return _my_mentorship_page(request, mentorship, status=400, agreement_form=form)
    try:
        services.record_agreement(mentorship=mentorship, **form.cleaned_data)
    except services.MatchRefusedError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your agreement is saved."))
    return redirect("matching:my_mentorship", pk=mentorship.pk)


@role_required(Role.VOLUNTEER)
@require_POST
def my_mentorship_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentorship = _own_mentorship(request, pk)
    return _give_feedback(request, mentorship, ClosingFeedback.Side.VOLUNTEER)


@newcomer_required
@require_http_methods(["GET", "POST"])
def newcomer_feedback(request: NewcomerHttpRequest, pk: int) -> HttpResponse:
    """The newcomer's side of the closing feedback, in their simple view."""
    mentorship = access_or_404(
        Mentorship.objects.filter(
            newcomer=request.newcomer, state=Mentorship.State.ENDED
        ).select_related("volunteer__user"),
        pk=pk,
    )
    if request.method == "POST":
        return _give_feedback(request, mentorship, ClosingFeedback.Side.NEWCOMER)
    given = mentorship.feedback.filter(side=ClosingFeedback.Side.NEWCOMER).exists()
    return render(
        request,
        "matching/newcomer_feedback.html",
        {"mentorship": mentorship, "form": FeedbackForm(), "given": given},
    )


def _give_feedback(
    request: AuthenticatedHttpRequest, mentorship: Mentorship, side: str
) -> HttpResponse:
    form = FeedbackForm(request.POST)
    by_newcomer = side == ClosingFeedback.Side.NEWCOMER
    if form.is_valid():
        try:
            services.give_feedback(mentorship=mentorship, side=side, **form.cleaned_data)
        except services.MatchRefusedError as refused:
            messages.info(request, str(refused))
        else:
            messages.success(request, _("Thank you for your feedback."))
        return redirect("newcomer:home" if by_newcomer else "matching:my_mentorships")
    template = "matching/newcomer_feedback.html" if by_newcomer else "matching/my_mentorship.html"
    context = {"mentorship": mentorship, "form": form, "feedback_form": form, "given": False}
    if not by_newcomer:
        context["agreement_form"] = AgreementForm(instance=mentorship)
    return render(request, template, context, status=400)
