"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import time
from typing import Any

import factory
from factory.django import DjangoModelFactory

from tawasul.accounts.models import User, UserRole
from tawasul.directory.models import Agency, AgencyKind

TEST_PASSWORD = "correct horse battery staple 42"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    country = "MA"
    organisation = ""
    kind = AgencyKind.POLICE
    name_en = factory.Sequence(lambda n: f"Agency {n}")
    name_fr = factory.Sequence(lambda n: f"Agence {n}")
    name_ar = factory.Sequence(lambda n: f"الوكالة {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    full_name_ar = "شخص تجريبي"
    country = "MA"
    organisation = ""
    agency = factory.LazyAttribute(
        lambda u: AgencyFactory(
            country=u.country,
            organisation=u.organisation,
            kind=AgencyKind.INTERNATIONAL_ORGANISATION if u.organisation else AgencyKind.POLICE,
        )
    )
    language = "en"
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            UserRole.objects.bulk_create([UserRole(user=self, role=r) for r in extracted])
            self.__dict__.pop("role_set", None)


def sign_in_with_second_factor(client: Any, user: User, *, device_name: str = "test") -> Any:
    """Sign ``client`` in as ``user`` as after a full sign-in with a verified second factor
    (the MFA and session-age middleware let it through); returns the client."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name=device_name, defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["tawasul_started_at"] = time.time()
    session["tawasul_last_seen"] = time.time()
    session.save()
    return client
