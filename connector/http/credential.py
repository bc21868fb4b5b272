"""Where bearer tokens come from, and where they may go.

:class:`Credential` is the one seam between the transport and the identity code (``connector.auth``
implements it with MSAL). :class:`BearerAuth` binds a credential to one service: it hands out the
``Authorization`` header only for URLs on that service's origin (scheme, host and port), so a delta or
next link edited in the state store, or sent back by a response, can never carry the token elsewhere.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from connector.errors import ForeignLinkError

_DEFAULT_PORTS = {"http": 80, "https": 443}


@runtime_checkable
class Credential(Protocol):
    """Anything that can hand out a bearer token for a set of scopes."""

    def get_token(self, *scopes: str, force_refresh: bool = False) -> str:
        """Return an access token for ``scopes``.

        Args:
            scopes: OAuth scopes such as ``https://org.crm.dynamics.com/.default``.
            force_refresh: skip cached tokens (the service rejected the last one with 401).

        Raises:
            AuthenticationError: no token could be acquired.
        """
        ...


def scope_for(url: str) -> str:
    """The ``.default`` scope of the service at ``url`` (``https://org.crm.dynamics.com/.default``)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/.default"


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``, lowercased, with the scheme's default port made explicit.

    A URL with user information (``https://org@evil.example``), no host, a bad port or another scheme than
    http(s) has no origin we could trust: its text is returned as ``invalid:`` so it matches nothing.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "invalid:"
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or "@" in parts.netloc:
        return "invalid:"
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port or _DEFAULT_PORTS[scheme]}"


class BearerAuth:
    """A credential bound to one service: tokens for its scope, sent only to its origin.

    Args:
        credential: where tokens come from.
        scope: the OAuth scope of the service (``<origin>/.default``).
        endpoint: the service's base URL; only URLs with its origin receive the token.

    Raises:
        ValueError: ``endpoint`` has no usable origin.
    """

    def __init__(self, credential: Credential, scope: str, endpoint: str) -> None:
        self.origin = origin_of(endpoint)
        if self.origin == "invalid:":
            raise ValueError("the service endpoint must be an http(s) URL with a host and no user information")
        self._credential = credential
        self._scope = scope

    def check(self, url: str) -> None:
        """Refuse ``url`` unless it is on this service's origin.

        Raises:
            ForeignLinkError: naming the refused origin (not the path or query).
        """
        origin = origin_of(url)
        if origin != self.origin:
            raise ForeignLinkError(origin if origin != "invalid:" else "an invalid URL", self.origin)

    def header(self, url: str, *, refresh: bool = False) -> str:
        """The ``Authorization`` value for a request to ``url``.

        Args:
            url: where the request goes (checked against the origin first).
            refresh: ask the credential for a fresh token (the service answered 401).

        Raises:
            ForeignLinkError: ``url`` is not on this service's origin.
            AuthenticationError: no token could be acquired.
        """
        self.check(url)
        return f"Bearer {self._credential.get_token(self._scope, force_refresh=refresh)}"

    def __repr__(self) -> str:
        return f"BearerAuth({self.origin!r})"
