"""The platform administrator's tools, from the command line (audited, channel ``cli``):
create an agency, create a user (including the coordinator and oversight roles a national
admin cannot grant), or change a user's roles."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tawasul.accounts.models import User
from tawasul.accounts.services import user_create, user_set_roles
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Organisation, Role
from tawasul.directory.models import Agency, AgencyKind
from tawasul.directory.services import agency_create


class Command(BaseCommand):
    help = "Create agencies and users, or set roles, as the platform administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        agency = sub.add_parser("agency", help="create an agency")
        agency.add_argument("--country", default="")
        agency.add_argument("--organisation", default="", choices=["", *Organisation.values])
        agency.add_argument("--kind", required=True, choices=AgencyKind.values)
        agency.add_argument("--name-en", required=True)
        agency.add_argument("--name-fr", default="")
        agency.add_argument("--name-ar", default="")
        user = sub.add_parser("create", help="create a user; they receive a link to set a password")
        user.add_argument("--username", required=True)
        user.add_argument("--email", required=True)
        user.add_argument("--full-name", required=True)
        user.add_argument("--full-name-ar", default="")
        user.add_argument("--country", default="")
        user.add_argument("--organisation", default="", choices=["", *Organisation.values])
        user.add_argument("--agency-id", type=int, required=True)
        user.add_argument("--role", action="append", required=True, choices=Role.values)
        roles = sub.add_parser("roles", help="replace a user's roles")
        roles.add_argument("--username", required=True)
        roles.add_argument("--role", action="append", default=[], choices=Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "agency":
                agency = agency_create(
                    actor=None,
                    kind=options["kind"],
                    name_en=options["name_en"],
                    name_fr=options["name_fr"],
                    name_ar=options["name_ar"],
                    country=options["country"].upper(),
                    organisation=options["organisation"],
                )
                self.stdout.write(f"agency {agency.pk}: {agency.name_en}")
            elif options["action"] == "create":
                agency_obj = Agency.objects.filter(pk=options["agency_id"]).first()
                if agency_obj is None:
                    raise CommandError(f"no agency {options['agency_id']}")
                new = user_create(
                    actor=None,
                    username=options["username"],
                    email=options["email"],
                    full_name=options["full_name"],
                    full_name_ar=options["full_name_ar"],
                    country=options["country"].upper(),
                    organisation=options["organisation"],
                    agency=agency_obj,
                    roles=options["role"],
                )
                self.stdout.write(
                    f"user {new.pk}: {new.username} (activation e-mail sent to {new.email})"
                )
            else:
                target = User.objects.filter(username=options["username"]).first()
                if target is None:
                    raise CommandError(f"no user {options['username']}")
                user_set_roles(actor=None, user=target, roles=options["role"])
                self.stdout.write(
                    f"{target.username}: {', '.join(sorted(target.role_set)) or 'no roles'}"
                )
        except ServiceError as error:
            raise CommandError(error.message) from error
