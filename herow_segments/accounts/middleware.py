"""Resolve the company of each dashboard request and activate it."""

import zoneinfo

from django.utils import timezone

from herow_segments.accounts.models import Membership
from herow_segments.accounts.scoping import activate_company, deactivate_company

SESSION_KEY = "company_id"


def resolve_membership(request):
    """Return the user's membership for the company chosen in the session."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = list(
        Membership.all_companies.filter(user=user).select_related("company")
    )
    request.memberships = memberships
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.company_id == chosen:
            return membership
    return memberships[0]


class CurrentCompanyMiddleware:
    """Set request.company and request.membership and activate the company."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        membership = resolve_membership(request)
        request.membership = membership
        request.company = membership.company if membership else None
        if request.company is None:
            return self.get_response(request)

        token = activate_company(request.company)
        timezone.activate(zoneinfo.ZoneInfo(request.company.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            deactivate_company(token)
