"""Typed errors raised on bad input, always before any solver starts."""


class DomainError(ValueError):
    """Base class of every error the matching engine raises on bad input."""


class InvalidProblem(DomainError):
    """The problem as a whole is malformed (vehicles, places, duplicates)."""


class InvalidRequest(DomainError):
    """One request is impossible in itself; ``request_id`` names it."""

    def __init__(self, request_id: object, reason: str) -> None:
        super().__init__(f"request {request_id!r}: {reason}")
        self.request_id = request_id
        self.reason = reason


class UnknownPlace(InvalidProblem):
    """A vehicle or request refers to a place id not in the problem."""


class MalformedInstance(DomainError):
    """A benchmark instance file cannot be read."""
