"""Domain errors that views and the API turn into the same field-level messages."""

from __future__ import annotations


class Refused(Exception):
    """A service refused to act: bad input, or a rule of the procedures.

    ``errors`` maps a field name (or ``"__all__"``) to messages a practitioner can act on.
    """

    def __init__(self, field: str | dict[str, list[str]], message: str | None = None) -> None:
        if isinstance(field, dict):
            self.errors: dict[str, list[str]] = {k: list(v) for k, v in field.items()}
        else:
            self.errors = {field: [message or "This is not allowed."]}
        super().__init__(self.errors)


class NotFound(Exception):
    """The record does not exist, or the user may not know that it exists.

    The same answer for both, so that a child's record never leaks its existence.
    """


class Restricted(Exception):
    """The user's role would show this record, but it is restricted to named people.

    They may open it only by breaking the glass (a reason, an alert to managers).
    """

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(ref)


class Forbidden(Exception):
    """The user may know the record exists but may not do this to it."""


class Conflict(Exception):
    """Someone else changed the record since the user read it (optimistic concurrency)."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"The record has changed since you read it (now version {current_version})."
        )
