"""Password guessing is slowed down where it comes from, so no stranger can lock a person out.

allauth counted failed sign-ins per account: five wrong passwords from anywhere refused the
right one too, so anyone who knew a coordinator's address could keep them out. Here failures
are counted per account and network, per network over all accounts, and per account over all
networks, in the shared database cache:
- A network (an IPv4 address, or an IPv6 /64) has FREE_FAILURES free tries per account, then
  waits FIRST_WAIT, doubling with every further failure up to LONGEST_WAIT. A successful
  sign-in from there forgets them. Refused tries are answered at once and are not counted.
- A network has NETWORK_FREE_FAILURES free tries over all accounts, then waits the same way.
- An account that has collected ACCOUNT_CEILING failures (from everywhere) is under attack:
  each network then has only FREE_FAILURES_UNDER_ATTACK free try for it. A network that has
  not failed for the account is never refused because of it, so the account holder still
  signs in from their own.
Every try is counted as a failure before the password is checked, under a lock, and taken
back when it succeeds: parallel requests cannot slip past the count.
Someone who shares a network with a guesser (an office, a shelter's Wi-Fi) gets a link by
e-mail (sign_in_links.py); the browser that confirms it holds a grant, and its tries for that
account are counted per grant instead of per network, with FREE_FAILURES free tries.
"""

import hashlib
import ipaddress
import math
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import ngettext

FREE_FAILURES = 5
FREE_FAILURES_UNDER_ATTACK = 1
NETWORK_FREE_FAILURES = 20
ACCOUNT_CEILING = 50
FIRST_WAIT = 30
LONGEST_WAIT = 24 * 60 * 60
# A record is forgotten this long after its last failure.
MEMORY = 2 * LONGEST_WAIT
IPV6_PREFIX = 64
LOCK_SECONDS = 10
LOCK_WAIT = 1.0


class SignInThrottledError(Exception):
    def __init__(self, seconds: float) -> None:
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(
            ngettext(
                "Too many failed sign-ins from your network. Please try again in %(count)s minute.",
                "Too many failed sign-ins from your network. Please try again in %(count)s "
                "minutes.",
                minutes,
            )
            % {"count": minutes}
        )
        self.seconds = seconds


@dataclass(frozen=True)
class SignInAttempt:
    """A try counted as failed until it succeeds."""

    pair_key: str
    account_key: str
    network_key: str


def network_of(ip: str) -> str:
    """An IPv6 host usually has a whole /64 to itself, so it counts as one network."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def claim_sign_in_attempt(*, email: str, network: str, grant: str | None = None) -> SignInAttempt:
    """Counts a try as failed, or raises SignInThrottledError saying how long to wait.

    A grant (from an e-mailed link, for this account) replaces the network: the guesser's
    failures there and the network's count over all accounts do not hold its holder back.
    """
    account = (email or "").strip().lower()
    source = f"grant:{grant}" if grant else network
    attempt = SignInAttempt(
        pair_key=hashed_key("pair", f"{account}\n{source}"),
        account_key=hashed_key("account", account),
        network_key=hashed_key("network", network),
    )
    with locked(attempt.account_key, attempt.network_key):
        pair, account_record, network_record = (
            cache.get(key, {"failures": 0, "last_at": 0.0})
            for key in (attempt.pair_key, attempt.account_key, attempt.network_key)
        )
        if grant:
            wait = _wait(pair, FREE_FAILURES)
        else:
            under_attack = account_record["failures"] >= ACCOUNT_CEILING
            free = FREE_FAILURES_UNDER_ATTACK if under_attack else FREE_FAILURES
            wait = max(_wait(pair, free), _wait(network_record, NETWORK_FREE_FAILURES))
        if wait > 0:
            raise SignInThrottledError(wait)
        now = time.time()
        for key, record in (
            (attempt.pair_key, pair),
            (attempt.account_key, account_record),
            (attempt.network_key, network_record),
        ):
            cache.set(key, {"failures": record["failures"] + 1, "last_at": now}, MEMORY)
    return attempt


def forget_sign_in_attempt(attempt: SignInAttempt) -> None:
    """The password was right: this network's failures for the account are forgotten, and
    the try is taken back from the counts over all accounts and networks."""
    try:
        with locked(attempt.account_key, attempt.network_key):
            cache.delete(attempt.pair_key)
            for key in (attempt.account_key, attempt.network_key):
                record = cache.get(key)
                if record and record["failures"] > 0:
                    cache.set(key, {**record, "failures": record["failures"] - 1}, MEMORY)
    except SignInThrottledError:
        # The lock was busy: keeping the try counted only makes the count a little stricter,
        # and the person is signed in all the same.
        return


def _wait(record: dict, free: int) -> float:
    if record["failures"] < free:
        return 0.0
    wait = min(FIRST_WAIT * 2 ** (record["failures"] - free), LONGEST_WAIT)
    return max(0.0, record["last_at"] + wait - time.time())


def hashed_key(scope: str, value: str) -> str:
    # Hashed: the cache table holds no e-mail or IP address.
    return f"sign-in:{scope}:{hashlib.sha256(value.encode()).hexdigest()}"


@contextmanager
def locked(*keys: str) -> Iterator[None]:
    """Always taken in the same order (account, then network)."""
    with ExitStack() as stack:
        for key in keys:
            stack.enter_context(_lock(key))
        yield


@contextmanager
def _lock(key: str) -> Iterator[None]:
    lock_key = f"{key}:lock"
    deadline = time.monotonic() + LOCK_WAIT
    while not cache.add(lock_key, True, LOCK_SECONDS):
        if time.monotonic() > deadline:
            # Refusing is safe: an honest person simply tries again a moment later.
            raise SignInThrottledError(LOCK_WAIT)
        time.sleep(0.02)
    try:
        yield
    finally:
        cache.delete(lock_key)
