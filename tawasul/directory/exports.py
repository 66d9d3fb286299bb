"""CSV and vCard renderings of directory entries (the callers filter with ``visible_to``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from tawasul.core.spreadsheet import neutralise
from tawasul.directory.models import FocalPoint


def entries_csv(entries: Iterable[FocalPoint]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Country"),
            _("Name"),
            _("Name (Arabic)"),
            _("Agency"),
            _("Kind of agency"),
            _("Position"),
            _("Competences"),
            _("Working languages"),
            _("Telephone"),
            _("Mobile (24/7)"),
            _("Secure e-mail"),
            _("Reachable 24/7"),
            _("Substitute"),
            _("Term end"),
            _("Last verified"),
        ]
    )
    for entry in entries:
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    entry.agency.country,
                    entry.user.full_name or entry.user.username,
                    entry.user.full_name_ar,
                    entry.agency.localized_name(),
                    entry.agency.get_kind_display(),
                    entry.position,
                    "; ".join(entry.competence_labels),
                    "; ".join(entry.language_labels),
                    entry.phone,
                    entry.mobile,
                    entry.email,
                    _("yes") if entry.reachable_24_7 else _("no"),
                    str(entry.substitute.user) if entry.substitute_id and entry.substitute else "",
                    entry.term_end.isoformat() if entry.term_end else "",
                    entry.last_verified.isoformat() if entry.last_verified else "",
                )
            ]
        )
    return buffer.getvalue()


def _vcard_escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def entry_vcard(entry: FocalPoint) -> str:
    """One vCard 4.0 (RFC 6350) for a directory entry."""
    name = entry.user.full_name or entry.user.username
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{_vcard_escape(name)}",
        f"ORG:{_vcard_escape(entry.agency.name_en)}",
    ]
    if entry.user.full_name_ar:
        lines.append(f"NICKNAME;LANGUAGE=ar:{_vcard_escape(entry.user.full_name_ar)}")
    if entry.position:
        lines.append(f"TITLE:{_vcard_escape(entry.position)}")
    if entry.email:
        lines.append(f"EMAIL;TYPE=work:{_vcard_escape(entry.email)}")
    if entry.phone:
        lines.append(f"TEL;TYPE=work,voice:{_vcard_escape(entry.phone)}")
    if entry.mobile:
        lines.append(f"TEL;TYPE=cell:{_vcard_escape(entry.mobile)}")
    for lang in entry.language_list:
        lines.append(f"LANG:{_vcard_escape(lang)}")
    if entry.agency.address:
        lines.append(
            f"ADR;TYPE=work:;;{_vcard_escape(entry.agency.address)};;;;{entry.agency.country}"
        )
    lines.append(f"NOTE:{_vcard_escape(', '.join(entry.competence_labels))}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def entries_vcard(entries: Iterable[FocalPoint]) -> str:
    return "".join(entry_vcard(e) for e in entries)
