"""HTTP: the one transport, its retry policy, bearer auth bound to an origin, our response type and the one
error decoder."""

from connector.http.credential import BearerAuth, Credential, origin_of, scope_for
from connector.http.policy import RetryPolicy
from connector.http.response import PartResult, Response, decode_error
from connector.http.transport import Transport, make_headers, new_session

__all__ = [
    "BearerAuth", "Credential", "PartResult", "Response", "RetryPolicy", "Transport", "decode_error",
    "make_headers", "new_session", "origin_of", "scope_for",
]
