from __future__ import annotations


class ServiceError(Exception):
    """A refused write, with a translated message fit to show the user; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
