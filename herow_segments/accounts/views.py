"""Settings pages and the company switcher."""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from herow_segments.accounts import services
from herow_segments.accounts.decorators import (
    company_admin_required,
    company_member_required,
)
from herow_segments.accounts.forms import ApiKeyForm, CompanyForm
from herow_segments.accounts.middleware import SESSION_KEY
from herow_segments.accounts.models import ApiKey, ApiKeyEvent, Membership
from herow_segments.accounts.scoping import get_scoped_or_404

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


@company_admin_required
def list_api_keys(request):
    api_keys = ApiKey.objects.select_related("created_by")
    events = ApiKeyEvent.objects.all()[:50]
    return render(
        request,
        "accounts/api_key_list.html",
        {"api_keys": api_keys, "events": events},
    )


@company_admin_required
@require_http_methods(["GET", "POST"])
def create_api_key(request):
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        api_key, raw_key = services.issue_api_key(
            company=request.company, user=request.user, **form.cleaned_data
        )
        # The secret is shown in this answer only; it is never stored.
        response = render(
            request,
            "accounts/api_key_created.html",
            {"api_key": api_key, "raw_key": raw_key},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/api_key_form.html", {"form": form})


@company_admin_required
@require_POST
def revoke_api_key(request):
    api_key = get_scoped_or_404(ApiKey, pk=request.POST.get("api_key"))
    if services.revoke_api_key(api_key, request.user):
        messages.success(request, f"API key “{api_key.name}” revoked.")
    else:
        messages.info(request, f"API key “{api_key.name}” was already revoked.")
    return redirect("accounts:api-key-list")
