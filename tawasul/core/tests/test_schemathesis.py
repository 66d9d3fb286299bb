"""API fuzzing: every operation of /api/v1/openapi.json, called in process (WSGI) by
Schemathesis with valid and invalid data, as a signed-in focal point, against a seeded test
database so the path ids reach real objects.

Checked on every call: no server error (5xx); every documented response conforms to the schema
the OpenAPI document gives it; no documented method answers 405 (hidden by another route of the
same shape); a call without a token is refused (401). Bounded so the run stays short in CI:
``MAX_EXAMPLES`` generated cases per operation (plus the schema's own examples), a fixed seed,
no shrinking, no example database on disk. The counts are printed at the end and saved to
artifacts/api-fuzz/summary.json.
"""

from __future__ import annotations

import json
import os
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

# Generated cases per operation and the seed: fixed, so a CI run is reproducible; raise them
# for a deeper run (TAWASUL_FUZZ_EXAMPLES=200 TAWASUL_FUZZ_SEED=7 make test PYTEST_ARGS=...).
MAX_EXAMPLES = int(os.environ.get("TAWASUL_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("TAWASUL_FUZZ_SEED", "2026"))
# Whatever the generated id, most calls are pointed at a seeded object (so the operation does
# its work); one in ``KEEP_GENERATED`` keeps the generated value (so missing ids are fuzzed too).
KEEP_GENERATED = 4

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "phases": {"coverage": {"enabled": False}},
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)

pytestmark = pytest.mark.django_db
# Status codes answered, by operation: the summary printed (and saved under artifacts/) at the end.
ANSWERS: dict[str, Counter[int]] = {}


class World:
    """The seeded objects the path parameters point at, built once per operation's test."""

    # factory_boy's factories are typed as factories, not as the models they build.
    user: Any
    oversight: Any
    tn: Any
    focal_point: Any
    request: Any
    offence: Any
    person: Any
    measure: Any
    thread: Any
    attachment: Any
    action: Any
    recommendation: Any
    meeting: Any
    record: Any
    hit: Any

    def __init__(self) -> None:
        from tawasul.accounts.services import api_token_create
        from tawasul.actionplans.tests.factories import ActionFactory
        from tawasul.cooperation.tests.factories import (
            CooperationRequestFactory,
            RequestMeasureFactory,
            RequestOffenceFactory,
            RequestPersonFactory,
        )
        from tawasul.core.roles import Role
        from tawasul.core.tests.factories import AgencyFactory, UserFactory
        from tawasul.directory.models import AgencyKind
        from tawasul.directory.tests.factories import FocalPointFactory, MembershipFactory
        from tawasul.directory.tests.test_profiles import load_shipped
        from tawasul.messaging.tests.factories import PDF, incoming, make_thread
        from tawasul.persons.matching import Query
        from tawasul.persons.services import person_search
        from tawasul.persons.tests.factories import make_record

        load_shipped("MA", "ES", "TN")
        ma = AgencyFactory(country="MA", kind=AgencyKind.PROSECUTION)
        es = AgencyFactory(country="ES", kind=AgencyKind.CENTRAL_AUTHORITY_MLA)
        self.user = UserFactory(
            username="fuzz.ma",
            country="MA",
            agency=ma,
            roles=[Role.FOCAL_POINT, Role.BORDER_OFFICER],
        )
        self.oversight = UserFactory(username="fuzz.dpo", country="MA", roles=[Role.OVERSIGHT])
        self.tn = UserFactory(username="fuzz.tn", country="TN", roles=[Role.FOCAL_POINT])
        UserFactory(username="fuzz.es", country="ES", agency=es, roles=[Role.CENTRAL_AUTHORITY])
        self.token = api_token_create(actor=self.user, name="fuzz", days=1)[1]
        self.oversight_token = api_token_create(actor=self.oversight, name="fuzz", days=1)[1]

        self.focal_point = FocalPointFactory(user=self.user)
        MembershipFactory(focal_point=self.focal_point)

        self.request = CooperationRequestFactory(
            created_by=self.user, requesting_agency=ma, requested_agency=es
        )
        self.offence = RequestOffenceFactory(request=self.request)
        self.person = RequestPersonFactory(request=self.request)
        self.measure = RequestMeasureFactory(request=self.request)
        self._document: int | None = None

        self.thread = make_thread(self.user, self.tn, attachments=[incoming("note.pdf", PDF)])
        self.attachment = self.thread.messages.get().attachments.get()

        self.action = ActionFactory(country="MA")
        self.recommendation = self.action.recommendation
        self.meeting = self.recommendation.meeting

        # A Moroccan record found by a Tunisian search: the hit is the Moroccan user's to decide.
        self.record = make_record(self.user, "Youssef Amrani Fuzz")
        person_search(actor=self.tn, query=Query(name="Youssef Amrani Fuzz"))
        self.hit = self.record.hits.get()

    def document(self) -> int:
        """A generated formal request, made only for the operation that reads one."""
        if self._document is None:
            from tawasul.cooperation.services import request_document_generate

            document = request_document_generate(
                actor=self.user, request=self.request, language="fr", fmt="pdf"
            )
            self._document = int(document.pk)
        return self._document

    def part(self, kind: str) -> int:
        return {
            "offences": self.offence.pk,
            "persons": self.person.pk,
            "measures": self.measure.pk,
        }.get(kind, self.offence.pk)

    def ids(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        return {
            "entry_id": lambda _: self.focal_point.pk,
            "country": lambda _: "ES",
            "thread_id": lambda _: self.thread.pk,
            "attachment_id": lambda _: self.attachment.pk,
            "meeting_id": lambda _: self.meeting.pk,
            "recommendation_id": lambda _: self.recommendation.pk,
            "action_id": lambda _: self.action.pk,
            "record_id": lambda _: self.record.pk,
            "hit_id": lambda _: self.hit.pk,
            "request_id": lambda _: self.request.pk,
            "measure_id": lambda _: self.measure.pk,
            "part_id": lambda params: self.part(str(params.get("part", ""))),
            "document_id": lambda _: self.document(),
        }


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> Iterator[World]:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Schemathesis calls the WSGI application itself, not through Django's test client: keep
    # the test's connection (and its transaction) open across requests, as the client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield World()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _keep_generated(value: Any) -> bool:
    return zlib.crc32(repr(value).encode()) % KEEP_GENERATED == 0


def point_at_seeded_objects(case: Any, world: World) -> None:
    params = case.path_parameters
    if not params:
        return
    resolvers = world.ids()
    for name, value in list(params.items()):
        if name in resolvers and not _keep_generated(value):
            params[name] = resolvers[name](params)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_answers_without_server_error_and_as_documented(
    case: Any, world: World
) -> None:
    point_at_seeded_objects(case, world)
    token = world.oversight_token if case.path.startswith("/api/v1/audit/") else world.token
    headers = {"Authorization": f"Bearer {token}"}
    response = case.call(headers=headers)
    ANSWERS.setdefault(case.operation.label, Counter())[response.status_code] += 1
    # Every documented method reaches its operation: two paths of one shape must not hide it.
    assert response.status_code != 405, case.operation.label
    if not response.request.headers.get("Authorization"):
        # Some negative cases drop the token altogether: refused, whatever else they send.
        assert response.status_code == 401, (case.operation.label, response.status_code)
        return
    case.validate_response(
        response, checks=[not_a_server_error, response_schema_conformance], headers=headers
    )


@pytest.fixture(scope="module", autouse=True)
def summary(request: Any) -> Any:
    """Say how many operations and cases ran, and what they answered."""
    yield
    if not ANSWERS:
        return
    from django.conf import settings

    cases = sum(sum(c.values()) for c in ANSWERS.values())
    codes: Counter[int] = sum(ANSWERS.values(), Counter())
    line = f"API fuzzing: {len(ANSWERS)} operations, {cases} cases, answers " + ", ".join(
        f"{code}×{n}" for code, n in sorted(codes.items())
    )
    folder = settings.BASE_DIR / "artifacts" / "api-fuzz"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(
        json.dumps(
            {
                "operations": len(ANSWERS),
                "cases": cases,
                "seed": SEED,
                "max_examples": MAX_EXAMPLES,
                "answers": {op: dict(sorted(c.items())) for op, c in sorted(ANSWERS.items())},
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(line)
