"""Access rules for dashboard views."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def company_member_required(view):
    """Require a logged-in user who belongs to the current company."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.company is None:
            raise Http404("You do not belong to any company.")
        return view(request, *args, **kwargs)

    return wrapper


def company_admin_required(view):
    """Require an admin of the current company; marketers get 403."""

    @wraps(view)
    @company_member_required
    def wrapper(request, *args, **kwargs):
        if not request.membership.is_admin:
            raise PermissionDenied("Only admins of this company can do this.")
        return view(request, *args, **kwargs)

    return wrapper
