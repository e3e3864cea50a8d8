"""Template filters of the place and device pages."""

from django import template

register = template.Library()


@register.filter
def duration_text(seconds) -> str:
    """Write a number of seconds as "1 h 05 min", "12 min" or "40 s"."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"
