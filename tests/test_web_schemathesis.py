"""Property-based API testing (docs/reliability.md#bad-inputs row 38): schemathesis against the app's own OpenAPI document.

Every GET and POST operation under /api/v1 gets schema-valid and schema-violating requests
(derandomized, a bounded number per operation) through schemathesis' ASGI integration, on a
seeded SQLite kb, with a live Bearer token so the writes get past authentication. Each response
must be: no 5xx, a documented status code and content type, a body matching the documented
schema, valid data accepted and invalid data rejected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from test_web_support import seed_kb

from treatywatch.web.app import create_app
from treatywatch.web.settings import WebSettings

schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (dev extra)")
from schemathesis.config import SchemathesisConfig  # noqa: E402

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 40
CASES: Counter[str] = Counter()
OUTCOMES: Counter[str] = Counter()

# 400 is a schema-valid request that a documented rule refuses: a page over 500 rows (the
# export formats allow more) or a calendar-impossible date such as 2025-02-30.
CONFIG = {
    "seed": 20260601,
    "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True, "database": "none"},
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}},
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = seed_kb(tmp_path_factory.mktemp("schemathesis") / "kb.db")
    yield data
    data["kb"].close()
    print(f"\nschemathesis cases: {sum(CASES.values())} over {len(CASES)} operations; {dict(sorted(OUTCOMES.items()))}")


@pytest.fixture(scope="module")
def api_schema(seeded: dict[str, Any]) -> Any:
    app = create_app(kb=seeded["kb"], settings=WebSettings(allowed_hosts=("testserver",)))
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app, config=SchemathesisConfig.from_dict(CONFIG))
    return loaded.include(path_regex="^/api/v1/").include(method=["GET", "POST"])


schema = schemathesis.pytest.from_fixture("api_schema")


def _aim_at_real_rows(case: Any, seeded: dict[str, Any], n: int) -> None:
    """Two cases in three name rows that exist, so the handlers' success paths run too."""
    claims = list(seeded["claims"].values())
    real = {"claim_id": claims[n % len(claims)], "article_id": seeded["pol"], "story_id": seeded["story"],
            "domain": "wire.example", "iso3": "POL", "treaty": "APMBT"}
    for name in list(case.path_parameters or {}):
        if name in real and n % 3:
            case.path_parameters[name] = real[name]
    if "Idempotency-Key" in (case.headers or {}):
        # Generated keys repeat ("0", "!"): a reused key with another body is rightly refused (422).
        case.headers["Idempotency-Key"] = f"key-{case.method}-{case.path}-{n}"
    body = case.body
    if n % 3 and case.meta.generation.mode.is_positive and isinstance(body, dict) and "claim_ids" in body:
        body["claim_ids"] = claims[: 1 + n % len(claims)]


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, seeded: dict[str, Any]) -> None:
    label = case.operation.label
    CASES[label] += 1
    _aim_at_real_rows(case, seeded, CASES[label])
    response = case.call_and_validate(headers={"Authorization": f"Bearer {seeded['token']}"})
    mode = case.meta.generation.mode.value if case.meta else "explicit"
    OUTCOMES[f"{mode} {case.method} {response.status_code}"] += 1
