def current_company(request) -> dict:
    """Expose the current company and membership to every template."""
    return {
        "current_company": getattr(request, "company", None),
        "current_membership": getattr(request, "membership", None),
    }
