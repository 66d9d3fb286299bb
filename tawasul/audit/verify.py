"""Walking the chain: the first broken link, if any."""

from __future__ import annotations

from dataclasses import dataclass

from tawasul.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Check sequence continuity, each entry's hash and each link to its predecessor, then
    that the head row points at the last entry (so a cut tail is noticed too)."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainReport(
                checked, expected_seq, f"entry #{expected_seq} is missing (found #{event.seq})"
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked, event.seq, f"entry #{event.seq} does not link to the previous entry"
            )
        if event.compute_hash() != event.hash:
            return ChainReport(
                checked, event.seq, f"entry #{event.seq} was altered (hash mismatch)"
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    if head_seq != checked or head_hash != prev_hash:
        return ChainReport(
            checked, checked + 1, f"the chain ends at #{checked} but its head says #{head_seq}"
        )
    return ChainReport(checked)
