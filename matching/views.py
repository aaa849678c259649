"""Coordinators run the engine and review proposals; volunteers see their own mentorships."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from matching import checkins, selectors, services
from matching.explain import leftover_texts, score_parts
from matching.forms import CheckInForm, MoveForm, RejectForm, RunForm
from matching.lifecycle import allowed_moves
from matching.models import MatchingRun, Mentorship, Proposal

coordinators_only = role_required(Role.COORDINATOR)
PER_PAGE = 50
LEFTOVERS_SHOWN = 100


@coordinators_only
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = services.start_run(request.user, form.scope())
        return redirect("matching:run_detail", pk=run.pk)
    weights = services.current_weights()
    return render(
        request,
        "matching/runs.html",
        {
            "form": form,
            "runs": selectors.recent_runs(),
            "weights": score_parts(weights, weights),
        },
    )


@coordinators_only
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
    left = list(selectors.run_leftovers(run)[:LEFTOVERS_SHOWN])
    texts = leftover_texts(left)
    return render(
        request,
        "matching/run_detail.html",
        {
            "run": run,
            "rows": rows,
            "page": page,
            "leftovers": [(leftover, texts[leftover.pk]) for leftover in left],
            "reject_form": RejectForm(),
        },
    )


@coordinators_only
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_or_404(MatchingRun.objects.all(), pk=pk)
    return render(request, "matching/partials/_run_progress.html", {"run": run})


@coordinators_only
@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access_or_404(Proposal.objects.select_related("run"), pk=pk)
    runner_up = request.POST.get("runner_up", "")
    try:
        services.accept_proposal(
            proposal, request.user, int(runner_up) if runner_up.isdigit() else None
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
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access_or_404(Proposal.objects.select_related("run"), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say why the pair does not fit."))
    else:
        try:
            services.reject_proposal(proposal, request.user, form.cleaned_data["reason"])
        except services.MatchRefusedError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Rejected; later runs will not propose this pair again."))
    return redirect("matching:run_detail", pk=proposal.run_id)


@role_required(Role.VOLUNTEER)
def my_mentorships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "matching/my_mentorships.html",
        {"mentorships": selectors.mentorships_of(request.user)},
    )


@coordinators_only
def mentorships(request: HttpRequest) -> HttpResponse:
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
def mentorship_move(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = access_or_404(Mentorship.objects.all(), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the date and the state."))
        return redirect("matching:mentorships")
    try:
        services.move_mentorship(
            mentorship,
            form.cleaned_data["to_state"],
            first_meeting_on=form.cleaned_data["first_meeting_on"],
            end_reason=form.cleaned_data["end_reason"],
        )
    except services.MatchRefusedError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Saved."))
    return redirect("matching:mentorships")


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
def mentorship_clear_flag(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = access_or_404(Mentorship.objects.all(), pk=pk)
    checkins.clear_flag(mentorship)
    messages.success(request, _("Marked as taken care of."))
    return redirect("matching:mentorships")
