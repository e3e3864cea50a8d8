"""Settings pages and the company switcher."""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from herow_segments.accounts.decorators import company_member_required
from herow_segments.accounts.forms import CompanyForm
from herow_segments.accounts.middleware import SESSION_KEY
from herow_segments.accounts.models import Membership

logger = logging.getLogger(__name__)


@company_member_required
@require_http_methods(["GET", "POST"])
def show_settings(request):
    is_admin = request.membership.is_admin
    form = CompanyForm(request.POST or None, instance=request.company)
    if request.method == "POST":
        if not is_admin:
            messages.error(request, "Only admins can change the company settings.")
            return redirect("accounts:settings")
        if form.is_valid():
            form.save()
            messages.success(request, "Company settings saved.")
            return redirect("accounts:settings")
    team = Membership.objects.select_related("user").order_by("user__username")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "team": team, "is_admin": is_admin},
    )


@company_member_required
@require_POST
def switch_company(request):
    chosen = request.POST.get("company")
    for membership in request.memberships:
        if str(membership.company_id) == chosen:
            request.session[SESSION_KEY] = membership.company_id
            messages.info(request, f"Now working in {membership.company.name}.")
            break
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "segments:segment-list"
    return redirect(target)
