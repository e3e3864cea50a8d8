"""Who may call a view: a key with the right scope, from an allowed address.

`scopes_required(read="segments:read", write="segments:write")` returns a
permission class: safe methods need `read`, the others `write`. It also
requires an authenticated key (401 without one) and checks the key's
allowed IP ranges (403 outside them).
"""

import ipaddress

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from herow_segments.accounts.models import ApiKey


def client_address(request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return the address of the client as the server saw it."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_address_allowed(api_key: ApiKey, request) -> bool:
    if not api_key.allowed_ip_ranges:
        return True
    address = client_address(request)
    if address is None:
        return False
    return any(
        address in ipaddress.ip_network(network)
        for network in api_key.allowed_ip_ranges
    )


def scopes_required(read: str, write: str | None = None) -> type[BasePermission]:
    """Return a permission class that needs read or write scope by method."""

    class HasScope(BasePermission):
        def has_permission(self, request, view) -> bool:
            api_key = request.auth
            if not isinstance(api_key, ApiKey):
                raise NotAuthenticated("Send an API key in the Authorization header.")
            if not is_address_allowed(api_key, request):
                raise PermissionDenied(
                    "This API key may not be used from this IP address.",
                    "ip_not_allowed",
                )
            scope = read if request.method in SAFE_METHODS else write or read
            if not api_key.has_scope(scope):
                raise PermissionDenied(
                    f"This API key lacks the {scope} scope.", "missing_scope"
                )
            return True

    HasScope.__name__ = f"HasScope_{read}_{write}".replace(":", "_")
    return HasScope
