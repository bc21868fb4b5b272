"""HTTP: the one transport with its retry policy, our response type and the one error decoder."""

from connector.http.response import PartResult, Response, decode_error
from connector.http.transport import RetryPolicy, Transport, make_headers, new_session

__all__ = ["PartResult", "Response", "RetryPolicy", "Transport", "decode_error", "make_headers", "new_session"]
