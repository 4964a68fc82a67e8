"""Password rules for staff accounts: long enough, not common, not guessable.

The common-password list is the one zxcvbn ships (the 30,000 most frequent passwords of
public leaks, ``zxcvbn.frequency_lists``); it is read from the installed package, never from
the network. zxcvbn's estimate also refuses variations of those passwords, keyboard walks,
repeats, dates and the user's own name (score below 3 of 4).
"""

from __future__ import annotations

from functools import cache

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128  # longer input only slows the estimate; nobody types more
MIN_SCORE = 3  # zxcvbn: 3 "safely unguessable: moderate protection from offline attacks"


@cache
def common_passwords() -> frozenset[str]:
    """Return the common-password list (lower case), loaded once from zxcvbn."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *context: str) -> str | None:
    """Return why ``password`` is refused, or ``None`` when it is acceptable.

    :param context: the user's own words (user name, display name) that must not carry it.
    :return: ``too_short``, ``too_long``, ``common`` or ``guessable``.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    if password.lower() in common_passwords():
        return "common"
    from zxcvbn import zxcvbn

    if zxcvbn(password, user_inputs=[c for c in context if c])["score"] < MIN_SCORE:
        return "guessable"
    return None
