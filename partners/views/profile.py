"""Partner staff keep their organisation's profile: everything but its name."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankommen.accounts.permissions import access_or_404
from ankommen.http import AuthenticatedHttpRequest
from partners.forms import ProfileForm
from partners.permissions import partner_staff_only, partners_acted_for
from partners.services import PartnerStaffError
from partners.services import desk as services
from workgroups.services import WorkgroupError


def to_desk(partner_pk: int | None) -> HttpResponse:
    """Back to the organisation's section of the desk."""
    response = redirect("partners:home")
    response["Location"] += f"#partner-{partner_pk}"
    return response


@partner_staff_only
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(partners_acted_for(request.user), pk=pk)
    form = ProfileForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_profile(
                partner=partner,
                by=request.user,
                districts=data["districts"],
                themes=data["themes"],
                **{name: data[name] for name in services.PROFILE_FIELDS},
            )
        except (PartnerStaffError, WorkgroupError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your organisation's profile has been saved."))
            return to_desk(pk)
    return render(request, "partners/profile_form.html", {"form": form, "partner": partner})
