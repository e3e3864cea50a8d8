"""Schemathesis calls every operation of the schema on a running server.

A bounded, deterministic number of generated requests per operation; the
checks are that nothing answers 5xx, every status, header, content type and
body matches the schema and the security scheme is enforced. Operations
under STRICT_PREFIXES must also refuse every schema-violating request.
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_segment

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
STRICT_PREFIXES = ("/api/v1/segments", "/api/v1/imports", "/api/v1/members")
EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def seeded(transactional_db, company, make_api_key, settings):
    """A segment with members to aim at, and a key with every scope."""
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    segment = make_segment(company, "Fuzzed", kind="api")
    _, secret = make_api_key()
    return {"segment_id": segment.pk, "secret": secret}


def generate_schema() -> dict:
    """Return the schema that /api/v1/schema/ serves, as plain JSON data."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# The schema is loaded when the module is collected: schemathesis'
# fixture-based loader (schemathesis.pytest.from_fixture) fails on pytest 9
# because it sets the removed Node._nodeid. The served schema is compared
# with this one in test_schema_and_docs.
schema = schemathesis.openapi.from_dict(generate_schema())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, seeded, live_server):
    path_parameters = case.path_parameters or {}
    # Half of the generated ids name the real segment, so that the answers
    # of existing objects are checked too, not only 404s.
    generated = path_parameters.get("segment_id")
    if isinstance(generated, int) and generated % 2 == 0:
        path_parameters["segment_id"] = seeded["segment_id"]

    is_strict = case.operation.path.startswith(STRICT_PREFIXES)

    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Bearer {seeded['secret']}"},
        checks=CHECKS + [negative_data_rejection] * is_strict,
    )
