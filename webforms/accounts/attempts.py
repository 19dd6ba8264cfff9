"""Failed password and code checks, and the waits they earn.

A fixed ban after N failures protects nobody for long and lets anyone lock any account out
(admins included) by typing wrong passwords for it, and keep it locked by trying on. Instead:

* one account from one address: the first ``SIGN_IN_FREE_FAILURES`` failures cost nothing, then
  each failure makes the next attempt from there wait twice as long (1 s, 2 s, 4 s… up to
  ``SIGN_IN_MAX_DELAY``). A success clears it. Someone guessing at one address slows only
  themselves; the account's owner, at another address, is not held up.
* one account from anywhere, and anything from one address: ``SIGN_IN_RATE_LIMIT`` failures
  (fixed window), high enough that one address held back by its delays never reaches it: it is
  there against guessing spread over many addresses, or over many accounts.
* authenticator codes: ``TWO_STEP_CODE_LIMIT`` wrong codes per account; then every code, even a
  right one, is refused until the window ends (guessing six digits needs many tries).

Only checks that failed count (the forms say so with :func:`note`); attempts refused while
waiting never reach a check, so they neither count nor prolong anything. The counters live in
the application's Flask-Limiter storage, shared by every worker. Keys are built by the caller
(accounts.sign_in_limits).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, g
from limits import parse

from webforms.extensions import limiter

NAMESPACE = "sign-in"
CODES_NAMESPACE = "two-step"
# A run of failures is forgotten a day after it started, or at the next success.
FAILURE_MEMORY = 24 * 3600


@dataclass(frozen=True)
class Keys:
    pair: str  # this account from this address
    spread: tuple[str, ...]  # this account from anywhere; anything from this address


def note(passed: bool) -> None:
    """What a password check in this request found (the forms call this)."""
    g.password_check_passed = passed


def noted() -> bool | None:
    return g.get("password_check_passed")


def wait_seconds(keys: Keys) -> int:
    """How long the next attempt must wait; 0 when it may be made now."""
    storage, now = limiter.storage, time.time()
    if storage.get(_wait_key(keys.pair)):
        return max(1, round(storage.get_expiry(_wait_key(keys.pair)) - now))
    limit = spread_limit()
    for key in keys.spread:
        if not limiter.limiter.test(limit, NAMESPACE, key):
            reset = limiter.limiter.get_window_stats(limit, NAMESPACE, key).reset_time
            return max(1, round(reset - now))
    return 0


def failed(keys: Keys) -> None:
    storage, config = limiter.storage, current_app.config
    failures = storage.incr(_count_key(keys.pair), FAILURE_MEMORY)
    over = failures - config["SIGN_IN_FREE_FAILURES"]
    if over >= 0:
        storage.incr(_wait_key(keys.pair), min(2 ** min(over, 30), config["SIGN_IN_MAX_DELAY"]))
    for key in keys.spread:
        limiter.limiter.hit(spread_limit(), NAMESPACE, key)


def passed(keys: Keys) -> None:
    limiter.storage.clear(_count_key(keys.pair))
    limiter.storage.clear(_wait_key(keys.pair))


def spread_limit():
    return parse(current_app.config["SIGN_IN_RATE_LIMIT"])


def codes_allowed(key: str) -> bool:
    return limiter.limiter.test(code_limit(), CODES_NAMESPACE, key)


def code_failed(key: str) -> None:
    limiter.limiter.hit(code_limit(), CODES_NAMESPACE, key)


def code_limit():
    return parse(current_app.config["TWO_STEP_CODE_LIMIT"])


def _count_key(pair: str) -> str:
    return f"{NAMESPACE}/failures/{pair}"


def _wait_key(pair: str) -> str:
    return f"{NAMESPACE}/wait/{pair}"
