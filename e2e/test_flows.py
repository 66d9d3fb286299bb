"""The main flows in a real browser, once in Arabic and once in French: signing in with a
second factor; a cooperation request drafted, approved, transmitted and acknowledged between
Morocco and Spain; a hit/no-hit search and its confirmation; a message with an attachment
between Morocco and Tunisia; a follow-up action updated by its owner country.

The assertions hold on what does not depend on the wording being translated yet: the page's
language and direction, URLs, statuses as stored and as the server labels them in the
language, and the navigation, which is translated already.
"""

# ruff: noqa: S101 - pytest checks with assert (pyproject exempts only tests/ folders)

from __future__ import annotations

import re
import time
from typing import Any

from e2e.browser import (
    PASSWORD,
    Person,
    assert_language,
    choose_language,
    shot,
    submit,
    totp_code,
    translated,
)

# A one-page PDF, small enough to read: messaging checks attachments by their content.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _stamp(lang: str) -> str:
    return f"E2E-{lang}-{time.strftime('%H%M%S')}"


def _status_badge(page: Any) -> str:
    return str(page.locator("main .badge").first.inner_text()).strip()


# --- 1. signing in ---------------------------------------------------------------------------


def test_sign_in_asks_for_the_password_then_a_totp_code(fresh_page: Any, lang: str) -> None:
    page = fresh_page
    page.goto("/requests/")
    # Signed out, a protected page leads to the sign-in form.
    assert "/accounts/login/" in page.url
    page.goto("/accounts/login/")
    choose_language(page, lang)
    shot(page, lang, "1-login-1-form")
    page.fill("#id_username", "ma.prosecutor")
    page.fill("#id_password", PASSWORD)
    submit(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/accounts/mfa/verify/")
    # The password alone opens nothing: every other page sends back to the code.
    page.goto("/requests/")
    assert page.url.endswith("/accounts/mfa/verify/")
    # The account's saved language wins once the password is given: choose ours again.
    choose_language(page, lang)

    right = totp_code("ma.prosecutor")
    page.fill("#id_token", "000000" if right != "000000" else "111111")
    submit(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/accounts/mfa/verify/")
    assert page.locator(".invalid-feedback").count() == 1
    shot(page, lang, "1-login-2-wrong-code")

    time.sleep(1.2)  # django-otp throttles the next try for a second after a failure
    page.fill("#id_token", totp_code("ma.prosecutor"))
    submit(page, page.locator("main form button[type=submit]"))
    assert "/accounts/" not in page.url
    assert_language(page, lang)
    # The navigation is translated (the catalogue has these already).
    nav = page.locator("#mainnav")
    for label in ("Requests", "Messages", "Directory", "Action plans"):
        expected = translated(lang, label)
        assert nav.get_by_role("link", name=expected, exact=True).count() == 1, expected
    assert translated(lang, "Directory") != "Directory"
    page.goto("/requests/")
    assert page.url.endswith("/requests/")
    assert_language(page, lang)
    shot(page, lang, "1-login-3-signed-in")

    submit(page, page.locator("form[action='/accounts/logout/'] button"))
    page.goto("/requests/")
    assert "/accounts/login/" in page.url


# --- 2. a cooperation request, Morocco → Spain -----------------------------------------------


def _save_step(page: Any, following: str) -> None:
    submit(page, page.locator("button[name=op][value=save]"))
    assert re.search(rf"/step/{following}/$", page.url), page.url


def _draft_request(drafter: Person, reference: str) -> int:
    page = drafter.page
    drafter.goto("/requests/new/")
    page.select_option("#id_request_type", "mla")
    page.select_option("#id_requested_country", "ES")
    page.select_option("#id_offence_category", "terrorist_financing")
    page.fill("#id_requesting_reference", reference)
    drafter.shot("2-request-1-new")
    submit(page, page.locator("main form button[type=submit].btn-primary"))
    found = re.search(r"/requests/(\d+)/step/basis/$", page.url)
    assert found, page.url
    request_id = int(found.group(1))

    # Authority and legal basis: the finder's proposal, and the authority from the directory.
    if page.locator("input[name=legal_basis]:checked").count() == 0:
        page.locator("input[name=legal_basis]").first.check()
    agencies = page.locator("#id_requested_agency option").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    page.select_option("#id_requested_agency", agencies[0])
    drafter.shot("2-request-2-basis")
    _save_step(page, "facts")

    page.fill("#id_description", "Financement du terrorisme (e2e)")
    page.fill("#id_legal_provision", "Code pénal, art. 218-4 (fictional provision for the test)")
    page.fill("#id_penalty", "5 à 20 ans")
    submit(page, page.locator("button[name=op][value=offence]"))
    page.fill(
        "#id_summary_of_facts",
        "Transfers from accounts in Spain financed travel to a conflict zone (fictional).",
    )
    page.fill("#id_purpose", "To identify the account holders and the origin of the funds.")
    drafter.shot("2-request-3-facts")
    _save_step(page, "persons")

    page.select_option("#id_role", "suspect")
    page.fill("#id_name_arabic", "ياسين الإدريسي ديمو")
    page.fill("#id_name_latin", "Yassine El Idrissi Demo")
    submit(page, page.locator("button[name=op][value=person]"))
    _save_step(page, "measures")

    # Choosing the measure swaps its fields in (htmx).
    page.select_option("select#id_measure_kind", "bank_records")
    page.locator("#measure-fields #id_bank").wait_for()
    page.fill("#id_bank", "Banco Demo S.A.")
    page.fill("#id_account", "ES00 DEMO 0000 0000 0000 0001")
    page.fill("#id_period_start", "2025-01-01")
    page.fill("#id_period_end", "2025-10-31")
    drafter.shot("2-request-4-measure")
    submit(page, page.locator("button[name=op][value=measure_add]"))
    _save_step(page, "conditions")

    page.fill(
        "#id_dual_criminality_statement",
        "The facts constitute offences under the law of both states.",
    )
    page.fill(
        "#id_non_political_statement",
        "Terrorist offences are excluded from the political-offence exception.",
    )
    page.check("#id_assurance_fair_trial")
    _save_step(page, "attachments")
    _save_step(page, "review")
    drafter.shot("2-request-5-review")
    return request_id


def _take_action(person: Person, request_id: int, action: str, name: str) -> None:
    person.goto(f"/requests/{request_id}/")
    person.shot(f"{name}-before")
    form = person.page.locator(f"form:has(input[name=action][value={action}])")
    submit(person.page, form.locator("button[type=submit]"))
    assert person.page.url.endswith(f"/requests/{request_id}/"), person.page.url


def _assert_status(person: Person, request_id: int, status: Any) -> None:
    from tawasul.cooperation.models import CooperationRequest

    assert CooperationRequest.objects.get(pk=request_id).status == status
    assert _status_badge(person.page) == translated(person.lang, status.label)


def test_request_is_drafted_approved_transmitted_and_acknowledged(sign_in: Any, lang: str) -> None:
    from tawasul.cooperation.lifecycle import Status

    drafter = sign_in("ma.prosecutor", lang)
    request_id = _draft_request(drafter, _stamp(lang))
    submit(drafter.page, drafter.page.locator("form:has(input[name=action][value=submit]) button"))
    assert drafter.page.url.endswith(f"/requests/{request_id}/"), drafter.page.url
    _assert_status(drafter, request_id, Status.AWAITING_APPROVAL)
    # Maker–checker: the drafter is not offered the approval.
    assert drafter.page.locator("input[name=action][value=approve]").count() == 0
    drafter.shot("2-request-6-submitted")

    checker = sign_in("ma.central", lang)
    _take_action(checker, request_id, "approve", "2-request-7-approval")
    _assert_status(checker, request_id, Status.TRANSMITTED)
    checker.shot("2-request-8-transmitted")

    requested = sign_in("es.focal", lang)
    _take_action(requested, request_id, "acknowledge", "2-request-9-received")
    _assert_status(requested, request_id, Status.ACKNOWLEDGED)
    requested.shot("2-request-10-acknowledged")

    # The requesting side sees the acknowledgement too.
    drafter.goto(f"/requests/{request_id}/")
    assert _status_badge(drafter.page) == translated(lang, Status.ACKNOWLEDGED.label)


# --- 3. hit / no hit ---------------------------------------------------------------------------


def test_search_finds_a_moroccan_record_and_morocco_confirms_the_hit(
    sign_in: Any, lang: str
) -> None:
    from tawasul.persons.models import Hit, HitStatus

    searcher = sign_in("tn.police", lang)
    searcher.goto("/persons/search/")
    # The same person, in Arabic script in one language run and in Latin letters in the other.
    searcher.page.fill("#id_name", "يوسف العمراني" if lang == "ar" else "Youssef Amrani")
    searcher.page.fill("#id_date_of_birth", "1989")
    submit(searcher.page, searcher.page.locator("main form button[type=submit].btn-primary"))
    moroccan = searcher.page.locator("article").filter(
        has=searcher.page.locator("dd", has_text=re.compile(r"^\s*MA\s*$"))
    )
    assert moroccan.count() >= 1
    searcher.shot("3-hit-1-search")
    href = moroccan.first.locator("a[href*='/persons/hits/']").get_attribute("href") or ""
    found = re.search(r"/persons/hits/(\d+)/", href)
    assert found, href
    hit_id = int(found.group(1))
    assert Hit.objects.get(pk=hit_id).status == HitStatus.POSSIBLE

    owner = sign_in("ma.police", lang)
    owner.goto(f"/persons/hits/{hit_id}/")
    assert _status_badge(owner.page) == translated(lang, HitStatus.POSSIBLE.label)
    owner.page.check("input[name=decision][value=confirm]")
    owner.shot("3-hit-2-decide")
    submit(owner.page, owner.page.locator("form[action$='/decide/'] button[type=submit]"))
    assert owner.page.url.endswith(f"/persons/hits/{hit_id}/")
    assert Hit.objects.get(pk=hit_id).status == HitStatus.CONFIRMED
    assert _status_badge(owner.page) == translated(lang, HitStatus.CONFIRMED.label)
    owner.shot("3-hit-3-confirmed")

    # The searcher's country may now ask for the details.
    searcher.goto(f"/persons/hits/{hit_id}/")
    assert searcher.page.locator("form[action$='/request/']").count() == 1


# --- 4. a message with an attachment ---------------------------------------------------------


def test_message_with_an_attachment_reaches_the_other_country(sign_in: Any, lang: str) -> None:
    from tawasul.accounts.models import User

    subject = f"{_stamp(lang)} route"
    sender = sign_in("ma.police", lang)
    sender.goto("/messages/new/")
    page = sender.page
    page.fill("#id_subject", subject)
    page.select_option("#id_participants", str(User.objects.get(username="tn.police").pk))
    page.fill("#id_body", "Voici la note sur l'itinéraire (fictif). ملاحظة تجريبية.")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "e2e-note.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    sender.shot("4-message-1-new")
    submit(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/messages/threads/\d+/$", page.url), page.url
    assert page.get_by_role("link", name="e2e-note.pdf").count() == 1
    sender.shot("4-message-2-sent")

    recipient = sign_in("tn.police", lang)
    recipient.goto("/messages/")
    submit(recipient.page, recipient.page.get_by_role("link", name=subject))
    assert "ملاحظة تجريبية" in recipient.page.locator("main").inner_text()
    with recipient.page.expect_download() as download:
        recipient.page.get_by_role("link", name="e2e-note.pdf").click()
    assert download.value.suggested_filename == "e2e-note.pdf"
    with open(download.value.path(), "rb") as received:
        assert received.read() == PDF
    recipient.shot("4-message-3-received")


# --- 5. a follow-up action -------------------------------------------------------------------


def test_owner_country_reports_progress_on_a_follow_up_action(sign_in: Any, lang: str) -> None:
    from tawasul.actionplans.models import ActionStatus, FollowUpAction, OwnerKind

    action = (
        FollowUpAction.objects.filter(
            country="MA", owner_kind=OwnerKind.COUNTRY, status=ActionStatus.PLANNED
        )
        .order_by("pk")
        .first()
    )
    assert action is not None, "the demo data has planned Moroccan actions"
    owner = sign_in("ma.prosecutor", lang)
    owner.goto("/action-plans/mine/")
    submit(owner.page, owner.page.locator(f"a[href='/action-plans/actions/{action.pk}/']").first)
    assert owner.page.url.endswith(f"/action-plans/actions/{action.pk}/")
    note = f"{_stamp(lang)}: members proposed to the working group."
    owner.page.select_option("#id_status", ActionStatus.IN_PROGRESS)
    owner.page.fill("#id_text", note)
    owner.page.fill("#id_evidence", "Letter no. 123/E2E (fictional)")
    owner.shot("5-action-1-report")
    submit(owner.page, owner.page.locator("form[action$='/progress/'] button[type=submit]"))
    assert owner.page.url.endswith(f"/action-plans/actions/{action.pk}/")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    badge = owner.page.locator("dl .ap-status")
    assert "ap-status-in_progress" in (badge.get_attribute("class") or "")
    assert badge.inner_text().strip() == translated(lang, ActionStatus.IN_PROGRESS.label)
    assert note in owner.page.locator("main").inner_text()
    owner.shot("5-action-2-updated")
