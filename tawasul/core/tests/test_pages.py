from __future__ import annotations

import re

import pytest

from tawasul.accounts.models import User

pytestmark = pytest.mark.django_db


def test_arabic_login_page_is_right_to_left_and_translated(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar")
    body = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "bootstrap.rtl.min.css" in body
    assert "تسجيل الدخول" in body  # "Sign in", from the glossary


def test_french_login_page_is_translated(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr" dir="ltr">' in body
    assert "Se connecter" in body


def test_arabic_navigation_is_translated(signed_in, oversight_ma):
    client = signed_in(oversight_ma)
    oversight_ma.language = "ar"
    oversight_ma.save()
    body = client.get("/").content.decode()
    assert 'dir="rtl"' in body
    assert "سجل التدقيق" in body  # "Audit log"
    assert "تسجيل الخروج" in body  # "Sign out"
    assert oversight_ma.full_name_ar in body  # the user's name in Arabic script on Arabic pages


def test_language_choice_is_remembered_on_the_user(signed_in, focal_point_ma):
    client = signed_in(focal_point_ma)
    response = client.post("/language/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=focal_point_ma.pk).language == "fr"
    assert '<html lang="fr"' in client.get("/").content.decode()


def test_unknown_language_changes_nothing(signed_in, focal_point_ma):
    client = signed_in(focal_point_ma)
    client.post("/language/", {"language": "xx", "next": "/"})
    assert User.objects.get(pk=focal_point_ma.pk).language == "en"


def test_security_headers_and_nonce_csp(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert re.search(r"script-src 'self' 'nonce-[^']+'", csp)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


def test_pages_have_no_inline_script(signed_in, admin_ma):
    client = signed_in(admin_ma)
    for url in ("/", "/accounts/users/", "/accounts/account/", "/accounts/users/new/"):
        body = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag, f"inline script on {url}: {tag}"
        assert not re.search(r"\son[a-z]+=", body), f"inline event handler on {url}"


def test_htmx_sends_the_csrf_token_as_a_header(signed_in, focal_point_ma):
    body = signed_in(focal_point_ma).get("/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_demo_banner_shows_in_demo_mode(client, settings):
    settings.DEMO_MODE = True
    assert "Demonstration system" in client.get("/accounts/login/").content.decode()
    settings.DEMO_MODE = False
    assert "Demonstration system" not in client.get("/accounts/login/").content.decode()


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/accounts/me" in response.json()["paths"]


def test_header_shows_country_agency_and_user(signed_in, focal_point_ma):
    body = signed_in(focal_point_ma).get("/").content.decode()
    assert "Morocco" in body
    assert str(focal_point_ma.agency) in body
    assert "Focal point" in body
