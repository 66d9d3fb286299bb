from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tawasul.core.tests.factories import AgencyFactory, UserFactory
from tawasul.directory.models import FocalPoint, Network, NetworkMembership


class FocalPointFactory(DjangoModelFactory):
    class Meta:
        model = FocalPoint

    user = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda o: o.user.agency or AgencyFactory(country=o.user.country))
    position = "Prosecutor"
    competences = ",terrorism,ftf,"
    languages = ",ar,fr,"
    phone = "+212 5 00 00 00"
    email = factory.LazyAttribute(lambda o: f"{o.user.username}@secure.example.invalid")
    last_verified = factory.LazyFunction(timezone.localdate)


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    code = factory.Sequence(lambda n: f"net-{n}")
    name_en = factory.Sequence(lambda n: f"Network {n}")
    name_fr = factory.Sequence(lambda n: f"Réseau {n}")
    name_ar = factory.Sequence(lambda n: f"شبكة {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    focal_point = factory.SubFactory(FocalPointFactory)
