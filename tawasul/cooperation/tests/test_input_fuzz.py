"""Property tests of what a drafter types into a request: any text, dates, ids and flags are
either stored or refused with a ServiceError (a translated message, nothing changed) — never
another exception, never a half-written part."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawasul.cooperation import services
from tawasul.cooperation.measures import MEASURE_FIELDS, MeasureKind
from tawasul.cooperation.models import RequestMeasure, RequestPerson
from tawasul.core.errors import ServiceError

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(max_size=80)
maybe_date = st.one_of(st.none(), text, st.dates().map(datetime.date.isoformat))


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "role": st.one_of(text, st.sampled_from(["suspect", "witness", "sought"])),
            "name_arabic": text,
            "name_latin": text,
            "date_of_birth": maybe_date,
            "nationality": st.one_of(text, st.sampled_from(["MA", "TN", "ZZ", ""])),
            "document_number": text,
            "notes": text,
        },
    )
)
def test_any_person_input_is_stored_or_refused(draft, drafter_ma, values):
    before = RequestPerson.objects.count()
    try:
        person = services.request_person_add(actor=drafter_ma, request=draft, values=values)
    except ServiceError as error:
        assert error.message
        assert RequestPerson.objects.count() == before
    else:
        assert person.name_arabic or person.name_latin


@FUZZ
@given(
    st.sampled_from([*MeasureKind.values, "", "bogus"]),
    st.dictionaries(
        st.sampled_from(sorted({f.name for fs in MEASURE_FIELDS.values() for f in fs} | {"x"})),
        maybe_date,
        max_size=6,
    ),
)
def test_any_measure_input_is_stored_or_refused(draft, drafter_ma, kind, details):
    before = RequestMeasure.objects.count()
    try:
        services.request_measure_add(actor=drafter_ma, request=draft, kind=kind, details=details)
    except ServiceError as error:
        assert error.message
        assert RequestMeasure.objects.count() == before


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "requested_country": text,
            "request_type": text,
            "offence_category": text,
            "deadline": maybe_date,
            "urgent": st.booleans(),
            "summary_of_facts": text,
            "requested_agency": st.one_of(st.integers(), text),
            "handling_code": text,
            "document_language": text,
        },
    )
)
def test_any_draft_change_is_applied_or_refused(draft, drafter_ma, values):
    draft.refresh_from_db()
    version = draft.content_version
    try:
        services.request_update(actor=drafter_ma, request=draft, values=values)
    except ServiceError as error:
        assert error.message
        draft.refresh_from_db()
        assert draft.content_version == version
