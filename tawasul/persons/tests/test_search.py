"""Hit/no-hit search: the allowlist, review dates, ranking, audit, notification, rate limit."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tawasul.audit.models import AuditEvent
from tawasul.core.roles import Role
from tawasul.persons.disclosure import FOREIGN_FIELDS, FULL_FIELDS, SHARED_MORE_FIELDS
from tawasul.persons.matching import Query, name_keys
from tawasul.persons.models import Hit, HitStatus, PersonNameKey, PersonNotification
from tawasul.persons.services import person_search
from tawasul.persons.tests.factories import make_record, make_victim

pytestmark = pytest.mark.django_db

SECRET_VALUES = {
    "names": "Abderrahmane",
    "date_of_birth": "1988-03-14",
    "place_of_birth": "Fictional Town",
    "documents": "AB1234567",
    "interpol_notice": "A-1234/5-2020",
    "legal_basis": "Law 03-03",
}


def _search_page(client, **data):
    return client.post(reverse("persons:search"), data)


def _api_search(client, user, body):
    from tawasul.accounts.services import api_token_create

    _, token = api_token_create(actor=user, name="t", days=5)
    return client.post(
        "/api/v1/persons/search",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_name_keys_meet_across_scripts():
    assert name_keys("Mohamed Abderrahmane Zahrani") & name_keys("محمد عبد الرحمن الزهراني")
    assert name_keys("Abdelkader Ouali") & name_keys("عبد القادر والي")


def test_record_stores_its_blocking_keys(record_ma):
    keys = set(PersonNameKey.objects.filter(record=record_ma).values_list("key", flat=True))
    assert keys == name_keys("Mohamed Abderrahmane Zahrani")


def test_arabic_query_finds_latin_record(focal_point_ma, focal_point_tn, record_ma):
    results = person_search(actor=focal_point_tn, query=Query(name="محمد عبد الرحمن الزهراني"))
    assert [r.record.pk for r in results] == [record_ma.pk]
    assert results[0].hit.status == HitStatus.POSSIBLE


def test_unrelated_name_is_no_hit(focal_point_tn, record_ma):
    assert person_search(actor=focal_point_tn, query=Query(name="Jean-Pierre Dupont")) == []


FOREIGN_ONLY = sorted(set(FULL_FIELDS) - set(FOREIGN_FIELDS))


@pytest.mark.parametrize("field", FOREIGN_ONLY)
def test_foreign_searcher_page_never_sees_field(
    field, client, signed_in, focal_point_tn, record_ma
):
    signed_in(focal_point_tn)
    response = _search_page(client, name="Mohamed Zahrani")
    assert response.status_code == 200
    answer = response.context["results"][0]["answer"]
    assert set(answer) == set(FOREIGN_FIELDS)
    assert field not in answer
    if field in SECRET_VALUES:
        assert SECRET_VALUES[field] not in response.content.decode()


@pytest.mark.parametrize("field", FOREIGN_ONLY)
def test_foreign_searcher_api_never_sees_field(field, client, focal_point_tn, record_ma):
    response = _api_search(client, focal_point_tn, {"name": "Mohamed Zahrani"})
    assert response.status_code == 200
    body = response.json()
    assert body["hit"] is True
    record = body["results"][0]["record"]
    assert set(record) == set(FOREIGN_FIELDS)
    assert field not in record
    if field in SECRET_VALUES:
        assert SECRET_VALUES[field] not in response.content.decode()


def test_foreign_answer_gives_the_allowlisted_values(client, focal_point_tn, record_ma):
    record = _api_search(client, focal_point_tn, {"name": "Mohamed Zahrani"}).json()["results"][0][
        "record"
    ]
    assert record["country"] == "MA"
    assert record["reference"] == record_ma.reference
    assert record["category"] == "ftf"
    assert 0.6 <= record["score"] <= 1.0
    assert "matched" in record["explanation"]
    assert record["contact"]["email"] == record_ma.originator.email


def test_share_more_adds_only_the_shared_fields(client, focal_point_ma, focal_point_tn):
    make_record(focal_point_ma, share_more=True)
    record = _api_search(client, focal_point_tn, {"name": "Mohamed Zahrani"}).json()["results"][0][
        "record"
    ]
    assert set(record) == set(FOREIGN_FIELDS) | set(SHARED_MORE_FIELDS)
    assert "documents" not in record and "legal_basis" not in record


def test_own_country_searcher_sees_full_record(client, make_user, record_ma):
    bo_ma = make_user(username="bo.ma", country="MA", roles=[Role.BORDER_OFFICER])
    record = _api_search(client, bo_ma, {"name": "Mohamed Zahrani"}).json()["results"][0]["record"]
    assert set(record) == set(FULL_FIELDS)
    assert record["documents"][0]["number"] == "AB1234567"


def test_past_review_record_hidden_from_other_countries_only(focal_point_ma, focal_point_tn):
    with time_machine.travel(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)):
        record = make_record(focal_point_ma)
    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)):
        assert record.is_past_review
        assert person_search(actor=focal_point_tn, query=Query(name="Mohamed Zahrani")) == []
        own = person_search(actor=focal_point_ma, query=Query(name="Mohamed Zahrani"))
        assert [r.record.pk for r in own] == [record.pk]


def test_reviewed_record_is_found_again(focal_point_ma, focal_point_tn):
    from tawasul.persons.services import person_record_review

    with time_machine.travel(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)):
        record = make_record(focal_point_ma)
    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)):
        person_record_review(actor=focal_point_ma, record=record, legal_basis="Still needed")
        assert person_search(actor=focal_point_tn, query=Query(name="Mohamed Zahrani"))


def test_central_authority_of_another_country_gets_no_foreign_records(ca_tn, record_ma):
    assert person_search(actor=ca_tn, query=Query(name="Mohamed Zahrani")) == []


def test_exact_document_match_outranks_names(focal_point_ma, focal_point_tn):
    by_name = make_record(focal_point_ma, documents=())
    by_document = make_record(
        focal_point_ma, name="Karim Belhadj", documents=(("passport", "ZZ9988776", "MA"),)
    )
    results = person_search(
        actor=focal_point_tn,
        query=Query(name="Mohamed Abderrahmane Zahrani", document="zz 998-8776"),
    )
    assert [r.record.pk for r in results] == [by_document.pk, by_name.pk]
    assert results[0].scored.document_match


def test_date_of_birth_and_sex_adjust_the_score(focal_point_ma, focal_point_tn):
    make_record(focal_point_ma)
    base = person_search(actor=focal_point_tn, query=Query(name="Mohamed Abderrahmane Zahrani"))
    agree = person_search(
        actor=focal_point_tn,
        query=Query(name="Mohamed Abderrahmane Zahrani", birth_year=1988, birth_month=3),
    )
    disagree = person_search(
        actor=focal_point_tn,
        query=Query(name="Mohamed Abderrahmane Zahrani", birth_year=1960, sex="F"),
    )
    assert agree[0].scored.score >= base[0].scored.score
    assert disagree == [] or disagree[0].scored.score < base[0].scored.score


def test_search_and_each_hit_are_audited(focal_point_ma, focal_point_tn):
    first = make_record(focal_point_ma)
    second = make_record(focal_point_ma, name="Mohamed Abderrahman Zahrani")
    person_search(actor=focal_point_tn, query=Query(name="Mohamed Abderrahmane Zahrani"))
    search = AuditEvent.objects.get(event_type="persons.search")
    assert search.actor_id == focal_point_tn.pk and search.details["hits"] == 2
    hits = AuditEvent.objects.filter(event_type="persons.hit")
    assert {e.object_id for e in hits} == {str(first.pk), str(second.pk)}
    assert all(e.object_country == "MA" for e in hits)


def test_no_hit_search_is_audited_too(focal_point_tn):
    person_search(actor=focal_point_tn, query=Query(name="Nobody Known"))
    assert AuditEvent.objects.filter(event_type="persons.search", details__hits=0).exists()


def test_originator_is_told_of_the_hit_and_by_whom(
    django_capture_on_commit_callbacks, focal_point_ma, focal_point_tn, record_ma
):
    with django_capture_on_commit_callbacks(execute=True):
        person_search(actor=focal_point_tn, query=Query(name="Mohamed Zahrani"))
    notice = PersonNotification.objects.get()
    assert notice.recipient == focal_point_ma and notice.hit.searcher == focal_point_tn
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [focal_point_ma.email]
    assert focal_point_tn.display_name() in mail.outbox[0].body
    assert record_ma.reference in mail.outbox[0].body


def test_own_search_does_not_notify_oneself(focal_point_ma, record_ma):
    person_search(actor=focal_point_ma, query=Query(name="Mohamed Zahrani"))
    assert not PersonNotification.objects.exists()


def test_victims_never_appear_in_suspect_search(client, vp_ma, focal_point_ma, focal_point_tn):
    make_victim(vp_ma, names=("Mohamed Abderrahmane Zahrani",))
    assert person_search(actor=focal_point_ma, query=Query(name="Mohamed Zahrani")) == []
    body = _api_search(client, focal_point_tn, {"name": "Mohamed Abderrahmane Zahrani"}).json()
    assert body == {"hit": False, "results": []}


FROZEN = datetime.datetime(2026, 11, 2, 10, 0, 5, tzinfo=datetime.UTC)


@time_machine.travel(FROZEN, tick=False)
def test_search_rate_limit_page_answers_429(client, signed_in, settings, focal_point_tn):
    settings.PERSONS_SEARCH_RATE_PER_MINUTE = 2
    signed_in(focal_point_tn)
    assert _search_page(client, name="Ali Demo").status_code == 200
    assert _search_page(client, name="Ali Demo").status_code == 200
    refused = _search_page(client, name="Ali Demo")
    assert refused.status_code == 429
    assert "Too many searches" in refused.content.decode()
    assert AuditEvent.objects.filter(event_type="persons.search").count() == 2
    assert AuditEvent.objects.filter(event_type="persons.search_rate_limited").count() == 1


@time_machine.travel(FROZEN, tick=False)
def test_search_rate_limit_api_answers_429(client, settings, focal_point_tn):
    settings.PERSONS_SEARCH_RATE_PER_MINUTE = 1
    assert _api_search(client, focal_point_tn, {"name": "Ali"}).status_code == 200
    refused = _api_search(client, focal_point_tn, {"name": "Ali"})
    assert refused.status_code == 429
    assert "Too many searches" in refused.json()["detail"]


def test_rate_limit_counts_per_minute(client, settings, focal_point_tn):
    settings.PERSONS_SEARCH_RATE_PER_MINUTE = 1
    with time_machine.travel(FROZEN, tick=False):
        assert _api_search(client, focal_point_tn, {"name": "Ali"}).status_code == 200
        assert _api_search(client, focal_point_tn, {"name": "Ali"}).status_code == 429
    with time_machine.travel(FROZEN + datetime.timedelta(minutes=1), tick=False):
        assert _api_search(client, focal_point_tn, {"name": "Ali"}).status_code == 200


def test_rate_limit_message_is_translated(client, signed_in, settings, focal_point_tn):
    settings.PERSONS_SEARCH_RATE_PER_MINUTE = 0
    focal_point_tn.language = "ar"
    focal_point_tn.save()
    signed_in(focal_point_tn)
    refused = _search_page(client, name="Ali Demo")
    assert refused.status_code == 429
    assert 'dir="rtl"' in refused.content.decode()
    assert "Too many searches" not in refused.content.decode()


def test_search_without_name_or_document_is_refused(client, signed_in, focal_point_tn):
    signed_in(focal_point_tn)
    response = _search_page(client, name="", document="")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Hit.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "admin_ma", "oversight_ma", "vp_ma"])
def test_non_case_roles_cannot_search(persona, request, client, signed_in, record_ma):
    signed_in(request.getfixturevalue(persona))
    assert _search_page(client, name="Mohamed Zahrani").status_code == 404
    assert not Hit.objects.exists()
