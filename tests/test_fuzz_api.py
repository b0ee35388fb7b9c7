"""Property-based fuzzing of the whole JSON API from its own OpenAPI document (schemathesis strategies
driven by hypothesis): whatever the generator sends — valid, edge-case or malformed — no request answers
500, every error is JSON in the documented shape, and answers match their documented status codes and
schemas."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

EXAMPLES = int(os.environ.get("CONCORD_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.fuzz
def test_no_request_breaks_the_api(app, api_token):
    headers = {"Authorization": f"Bearer {api_token('admin')}"}
    operations = _operations(app)
    assert len(operations) >= 20
    failures, cases = [], 0
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal cases
            cases += 1
            response = case.call(headers={**(case.headers or {}), **headers})
            try:
                case.validate_response(response, checks=CHECKS)
                if response.status_code >= 400:
                    error = response.json()["error"]
                    assert {"code", "message"} <= set(error), error
            except BaseException as exc:  # collect, so one run reports every broken operation
                failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:300]}")
                raise

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException:  # noqa: B036 - already recorded in failures
            pass
    print(f"fuzzed {len(operations)} operations with {cases} generated requests")
    assert not failures, "\n".join(failures[:20])
