"""Sign-in, MFA, the user's own account and national-admin user management.

Views stay thin: gateway → form → service → response."""

from __future__ import annotations

import base64
import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts import selectors, services
from tawasul.accounts.access import access_api_token, access_user
from tawasul.accounts.forms import ApiTokenForm, ConfirmTOTPForm, OTPTokenForm, UserForm
from tawasul.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from tawasul.accounts.models import User
from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.access import Need, is_mfa_verified
from tawasul.core.decorators import role_required
from tawasul.core.errors import ServiceError
from tawasul.core.http import AuthedRequest
from tawasul.core.roles import Role


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What django-axes answers once a username is locked."""
    return render(
        request,
        "accounts/locked.html",
        {"cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("core:home")


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if is_mfa_verified(request.user):
        return redirect("core:home")
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        auth_login(request, user)
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_LAST_SEEN] = now
        services.session_register(user=user, session_key=request.session.session_key or "")
        response = HttpResponseRedirect(_safe_next(request))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        return response
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.session.session_key:
        services.session_forget(session_key=request.session.session_key)
    auth_logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    if is_mfa_verified(user):
        return redirect("core:home")
    if not services.mfa_has_device(user):
        return redirect("accounts:mfa_setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            event = (
                EventType.MFA_RECOVERY_USED
                if isinstance(device, StaticDevice)
                else EventType.MFA_VERIFIED
            )
            audit_record(
                event_type=event,
                actor=user,
                object_type="user",
                object_id=user.pk,
                object_country=user.country,
            )
            return HttpResponseRedirect(_safe_next(request))
        audit_record(
            event_type=EventType.MFA_FAILED,
            actor=user,
            object_type="user",
            object_id=user.pk,
            object_country=user.country,
            details={"step": "sign-in"},
        )
        form.add_error("token", _("That code is not valid."))
    return render(request, "accounts/mfa_verify.html", {"form": form})


PENDING_TOTP_KEY = "tawasul_pending_totp_key"


def _qr_data_uri(device: TOTPDevice) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: AuthedRequest) -> HttpResponse:
    """Enrol an authenticator. Allowed before verification only for a user who has none."""
    user: User = request.user
    if services.mfa_has_device(user) and not is_mfa_verified(user):
        return redirect("accounts:mfa_verify")
    # The pending secret lives in the server-side session until confirmed: a GET stores nothing.
    key = request.session.get(PENDING_TOTP_KEY) or services.mfa_new_totp_key()
    request.session[PENDING_TOTP_KEY] = key
    form = ConfirmTOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.mfa_totp_enrol(
                user=user, key=key, token=form.cleaned_data["token"]
            )
        except ServiceError as error:
            form.add_error("token", error.message)
        else:
            del request.session[PENDING_TOTP_KEY]
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    device = services.mfa_totp_device_for(user=user, key=key)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr": _qr_data_uri(device), "secret": secret},
    )


@login_required
@require_POST
def mfa_recovery_regenerate(request: AuthedRequest) -> HttpResponse:
    try:
        codes = services.mfa_recovery_regenerate(actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
@require_GET
def account(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_mfa": services.mfa_has_device(user),
            "tokens": selectors.api_tokens_of(user),
            "token_form": ApiTokenForm(),
            "roles": sorted(user.role_set),
        },
    )


@login_required
@require_POST
def api_token_create(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, plaintext = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            return render(
                request, "accounts/token_created.html", {"token": token, "plaintext": plaintext}
            )
    else:
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
    return redirect("accounts:account")


@login_required
@require_POST
def api_token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = access_api_token(request.user, token_id, need=Need.CHANGE)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:account")


# --- National administrators ---------------------------------------------------------------


@role_required(Role.NATIONAL_ADMIN)
@require_GET
def user_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    users = selectors.users_managed_by(request.user, query=query)
    return render(request, "accounts/user_list.html", {"users": users, "q": query})


@role_required(Role.NATIONAL_ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request: AuthedRequest) -> HttpResponse:
    actor: User = request.user
    form = UserForm(request.POST or None, country=actor.country)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=actor,
                username=data["username"],
                email=data["email"],
                full_name=data["full_name"],
                full_name_ar=data["full_name_ar"],
                country=actor.country,
                agency=data["agency"],
                roles=data["roles"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("User created. They set their password through the reset link.")
            )
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(Role.NATIONAL_ADMIN)
@require_http_methods(["GET", "POST"])
def user_detail(request: AuthedRequest, user_id: int) -> HttpResponse:
    actor: User = request.user
    user = access_user(actor, user_id, need=Need.CHANGE)
    initial = {
        "full_name": user.full_name,
        "full_name_ar": user.full_name_ar,
        "email": user.email,
        "agency": user.agency_id,
        "roles": sorted(user.role_set),
    }
    form = UserForm(request.POST or None, initial=initial, country=user.country, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=actor,
                user=user,
                full_name=data["full_name"],
                full_name_ar=data["full_name_ar"],
                email=data["email"],
                agency=data["agency"],
            )
            if sorted(data["roles"]) != sorted(user.role_set):
                services.user_set_roles(actor=actor, user=user, roles=data["roles"])
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "subject": user,
            "creating": False,
            "subject_has_mfa": services.mfa_has_device(user),
        },
    )


@role_required(Role.NATIONAL_ADMIN)
@require_POST
def user_set_active(request: AuthedRequest, user_id: int) -> HttpResponse:
    actor: User = request.user
    user = access_user(actor, user_id, need=Need.CHANGE)
    try:
        if request.POST.get("active") == "1":
            services.user_enable(actor=actor, user=user)
            messages.success(request, _("The account is enabled."))
        else:
            services.user_disable(actor=actor, user=user)
            messages.success(request, _("The account is disabled and its sessions have ended."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("accounts:user_detail", user_id=user.pk)


@role_required(Role.NATIONAL_ADMIN)
@require_POST
def user_mfa_reset(request: AuthedRequest, user_id: int) -> HttpResponse:
    actor: User = request.user
    user = access_user(actor, user_id, need=Need.CHANGE)
    try:
        services.mfa_reset(actor=actor, user=user)
        messages.success(
            request,
            _("Two-factor authentication was reset; the user enrols again at next sign-in."),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("accounts:user_detail", user_id=user.pk)
