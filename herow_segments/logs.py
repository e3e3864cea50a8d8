"""Logging helpers: one line per event, also for refused requests."""

import logging


class OneLineClientErrors(logging.Filter):
    """Drop the traceback Django attaches to the log of a 4xx answer.

    Django logs a refused request (a 403 for a missing role, a 404) with
    the exception that caused it. For a client error that traceback says
    nothing the line does not, and it turns one event into thirty lines.
    Server errors keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
