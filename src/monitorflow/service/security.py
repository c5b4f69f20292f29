"""Who may call the service: bearer tokens, the login session of the pages, and throttled guessing.

Rules: with a token, every route needs it (``Authorization: Bearer <token>``, or for reads the
session cookie the login form sets) on any interface, loopback included, since a reverse proxy in
front makes a loopback service public; ``public_reads`` (``--public-reads``) is the explicit
opt-out for public dashboards: reads open, writes still need the token. Bound beyond loopback, the
service refuses to start without a token unless ``insecure``. A session cookie holds an expiry, a
random id and an HMAC (never the token), expires after :data:`SESSION_TTL_S`, and logout revokes it;
sessions end when the service restarts. After :data:`FREE_ATTEMPTS` wrong tokens from one client,
each next attempt must wait twice as long (up to :data:`MAX_WAIT_S`): 429 with ``Retry-After``.
Tokens are compared with ``hmac.compare_digest`` and never logged.

>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
(True, True, False)
>>> Access(token="s3cret").allows(f"Bearer s3cret", None, write=True)
True
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from monitorflow.errors import ConfigurationError

COOKIE = "monitorflow_session"
TOKEN_ENV = "MONITORFLOW_TOKEN"
#: A login lasts this long (seconds).
SESSION_TTL_S = 12 * 3600
#: Wrong tokens a client may send before it has to wait; then the wait doubles per failure.
FREE_ATTEMPTS = 5
MAX_WAIT_S = 300.0
#: Clients remembered by the throttle (the oldest are forgotten first).
_MAX_CLIENTS = 10_000


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; names other than localhost count as exposed."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None, insecure: bool) -> None:
    """Refuse to expose the service beyond loopback without a token (unless ``insecure``)."""
    if token is not None and not token.strip():
        raise ConfigurationError("the token is empty; pass a non-empty --token or unset MONITORFLOW_TOKEN")
    if not is_loopback(host) and token is None and not insecure:
        raise ConfigurationError(
            f"refusing to serve on {host!r} without a token: anyone who can reach it could read and "
            f"change the workspace. Pass --token (or set {TOKEN_ENV}), bind to 127.0.0.1, or pass "
            "--insecure to serve without authentication",
            argument="token",
        )


class Throttle:
    """Wrong-token attempts per client: the first :data:`FREE_ATTEMPTS` are free, then each attempt
    must wait 1, 2, 4 ... seconds (at most :data:`MAX_WAIT_S`) after the previous failure."""

    def __init__(self) -> None:
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # client -> (count, last)
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds ``client`` must still wait before its next attempt counts (0: go ahead)."""
        with self._lock:
            count, last = self._failures.get(client, (0, 0.0))
        if count < FREE_ATTEMPTS:
            return 0.0
        return max(0.0, last + min(MAX_WAIT_S, 2.0 ** (count - FREE_ATTEMPTS)) - time.monotonic())

    def failed(self, client: str) -> None:
        with self._lock:
            count, _ = self._failures.pop(client, (0, 0.0))
            self._failures[client] = (count + 1, time.monotonic())
            while len(self._failures) > _MAX_CLIENTS:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


@dataclass
class Access:
    """The access rules of one running service: ``token`` (None: open), ``public_reads``."""

    token: str | None = None
    public_reads: bool = False
    throttle: Throttle = field(default_factory=Throttle)
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # per process: restarts end sessions
    _revoked: dict[str, float] = field(default_factory=dict)

    def __repr__(self) -> str:  # never show the token
        return f"Access(token={'***' if self.token else None}, public_reads={self.public_reads})"

    @property
    def reads_protected(self) -> bool:
        return self.token is not None and not self.public_reads

    def _sign(self, text: str) -> str:
        assert self.token is not None
        key = hmac.new(self.token.encode(), self._key, hashlib.sha256).digest()
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

    def new_session(self, now: float | None = None) -> str:
        """A cookie value: ``<expires>.<id>.<hmac>``; it never holds the token."""
        expires = int((time.time() if now is None else now) + SESSION_TTL_S)
        body = f"{expires}.{secrets.token_hex(16)}"
        return f"{body}.{self._sign(body)}"

    def session_valid(self, cookie: str | None, now: float | None = None) -> bool:
        if self.token is None or not cookie or cookie.count(".") != 2:
            return False
        expires, session_id, signature = cookie.split(".")
        if not hmac.compare_digest(signature.encode(), self._sign(f"{expires}.{session_id}").encode()):
            return False
        return (
            expires.isdigit()
            and int(expires) > (time.time() if now is None else now)
            and (session_id not in self._revoked)
        )

    def revoke(self, cookie: str | None) -> None:
        """Logout: the session's id is refused from now on (until it would have expired anyway)."""
        if self.session_valid(cookie):
            assert cookie is not None
            expires, session_id, _ = cookie.split(".")
            now = time.time()
            self._revoked = {k: v for k, v in self._revoked.items() if v > now}
            self._revoked[session_id] = float(expires)

    def token_matches(self, candidate: str | None) -> bool:
        if self.token is None or candidate is None:
            return False
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def presented_token(self, authorization: str | None) -> str | None:
        """The bearer token of an ``Authorization`` header, if any."""
        scheme, _, value = (authorization or "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    def allows(self, authorization: str | None, cookie: str | None, write: bool) -> bool:
        """Whether a request with these credentials may read (``write=False``) or write."""
        if self.token is None or (not write and not self.reads_protected):
            return True
        if self.token_matches(self.presented_token(authorization)):
            return True
        # the cookie serves the pages (reads); writes need the header, so no cross-site request can write
        return not write and self.session_valid(cookie)
