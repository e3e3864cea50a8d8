"""The health check that load balancers and monitors call."""

import logging

from django.db import connection
from django.http import JsonResponse

from herow_segments.broker import check_broker

logger = logging.getLogger(__name__)


def check(name: str, probe) -> str:
    try:
        probe()
    except Exception as error:
        logger.warning("health check failed component=%s error=%s", name, error)
        return "unavailable"
    return "ok"


def ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def show_health(request) -> JsonResponse:
    states = {
        "database": check("database", ping_database),
        "broker": check("broker", check_broker),
    }
    healthy = all(state == "ok" for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **states},
        status=200 if healthy else 503,
    )
