"""Who may call the service: bearer tokens, loopback binding, and the session cookie of the pages.

Rules: with a token, write routes need ``Authorization: Bearer <token>``; bound to anything but
loopback, the service refuses to start without a token unless ``insecure``, and with a token reads
need it too (pages: a login form sets an HttpOnly cookie holding an HMAC of the token, never the
token itself). Tokens are compared with ``hmac.compare_digest`` and never logged.

>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
(True, True, False)
>>> Access(token="s3cret", host="127.0.0.1").allows(f"Bearer s3cret", None, write=True)
True
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass

from monitorflow.errors import ConfigurationError

COOKIE = "monitorflow_session"
TOKEN_ENV = "MONITORFLOW_TOKEN"


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


@dataclass(frozen=True)
class Access:
    """The access rules of one running service."""

    token: str | None = None
    host: str = "127.0.0.1"

    def __repr__(self) -> str:  # never show the token
        return f"Access(token={'***' if self.token else None}, host={self.host!r})"

    @property
    def reads_protected(self) -> bool:
        return self.token is not None and not is_loopback(self.host)

    def session_value(self) -> str:
        """The cookie value: an HMAC of the token, so the cookie never holds the token."""
        assert self.token is not None
        return hmac.new(self.token.encode(), b"monitorflow-session-v1", hashlib.sha256).hexdigest()

    def token_matches(self, candidate: str | None) -> bool:
        if self.token is None or candidate is None:
            return False
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def allows(self, authorization: str | None, cookie: str | None, write: bool) -> bool:
        """Whether a request with these credentials may read (``write=False``) or write."""
        if self.token is None or (not write and not self.reads_protected):
            return True
        scheme, _, value = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and self.token_matches(value.strip()):
            return True
        # the cookie serves the pages (reads); writes need the header, so no cross-site request can write
        return (
            not write
            and cookie is not None
            and hmac.compare_digest(cookie.encode(), self.session_value().encode())
        )
