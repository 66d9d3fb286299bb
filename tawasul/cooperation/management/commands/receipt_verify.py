"""Check signed receipts of cooperation requests.

    manage.py receipt_verify RECEIPT.json [...]     receipts downloaded from Tawasul
    manage.py receipt_verify --all                  every receipt stored in this instance, and
                                                    that each still matches its transition
    manage.py receipt_verify --public-key KEY ...   check with a published key (base64 or a
                                                    PEM file) instead of this instance's own
    manage.py receipt_verify --print-public-key     the key to publish to partner countries

Exits 1 when any receipt fails, naming it and saying why.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tawasul.cooperation import receipts
from tawasul.cooperation.models import RequestTransition


class Command(BaseCommand):
    help = "Verify the signed receipts of cooperation requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="receipt JSON files (an object or a list)")
        parser.add_argument("--all", action="store_true", help="verify every stored receipt")
        parser.add_argument("--public-key", default="", help="base64 key or PEM file")
        parser.add_argument("--print-public-key", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_public_key"]:
            self.stdout.write(base64.b64encode(receipts.public_key_bytes()).decode())
            return
        key = self._key(options["public_key"]) if options["public_key"] else None
        if not options["files"] and not options["all"]:
            raise CommandError("Name receipt files, or use --all.")
        failures = 0
        checked = 0
        for name in options["files"]:
            for label, receipt in self._read(name):
                checked += 1
                failures += self._check(label, receipt, key)
        if options["all"]:
            for transition in RequestTransition.objects.select_related("request").iterator():
                checked += 1
                label = f"{transition.request.reference} transition {transition.pk}"
                problem = self._mismatch(transition)
                if problem:
                    failures += 1
                    self.stdout.write(f"FAIL {label}: {problem}")
                    continue
                failures += self._check(label, transition.receipt, key)
        if failures:
            raise CommandError(f"{failures} of {checked} receipts failed verification.")
        self.stdout.write(self.style.SUCCESS(f"{checked} receipts verified."))

    def _key(self, value: str) -> Any:
        path = Path(value)
        text = path.read_text() if path.is_file() else value
        try:
            return receipts.load_public_key(text)
        except (receipts.ReceiptError, ValueError) as error:
            raise CommandError(f"Bad public key: {error}") from None

    def _read(self, name: str) -> list[tuple[str, Any]]:
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{name}: cannot read a JSON receipt ({error})") from None
        if isinstance(data, list):
            return [(f"{name}[{i}]", item) for i, item in enumerate(data)]
        return [(name, data)]

    def _check(self, label: str, receipt: Any, key: Any) -> int:
        try:
            receipts.verify(receipt, key)
        except receipts.ReceiptError as error:
            self.stdout.write(f"FAIL {label}: {error}")
            return 1
        self.stdout.write(f"ok   {label}: {receipt['request']} {receipt['status']} {receipt['at']}")
        return 0

    @staticmethod
    def _mismatch(transition: RequestTransition) -> str:
        """A stored receipt must say what its transition row says (a row edited after
        signing, or a receipt copied onto another row, is caught here)."""
        receipt = transition.receipt or {}
        expected = {
            "request": transition.request.reference,
            "transition": transition.pk,
            "status": transition.to_status,
            "from_status": transition.from_status,
            "action": transition.action,
            "content_version": transition.content_version,
            "document_sha256": transition.document_sha256,
            "at": transition.at.isoformat(),
        }
        for field, value in expected.items():
            if receipt.get(field) != value:
                return f"the receipt's {field} differs from the stored transition"
        return ""
