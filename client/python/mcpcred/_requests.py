"""Request messages shared by the sync and the asyncio client."""

from __future__ import annotations

from typing import Iterable

from ._proto import agent_pb2

# Deadline of each unary call, and of a whole login: a person has to act in
# a browser meanwhile, and device codes usually expire after 15 minutes.
DEFAULT_TIMEOUT = 10.0
DEFAULT_LOGIN_TIMEOUT = 15 * 60.0


def get_credential(
    name: str, min_ttl: float, force_refresh: bool, rejected_version: int
) -> agent_pb2.GetCredentialRequest:
    """Raises ValueError for a negative min_ttl or rejected_version."""
    if min_ttl < 0:
        raise ValueError(f"min_ttl must not be negative, got {min_ttl}")
    if rejected_version < 0:
        raise ValueError(f"rejected_version must not be negative, got {rejected_version}")
    request = agent_pb2.GetCredentialRequest(
        name=name, force_refresh=force_refresh, rejected_version=rejected_version
    )
    if min_ttl:
        request.min_ttl.FromNanoseconds(round(min_ttl * 1e9))
    return request


def watch(names: Iterable[str]) -> agent_pb2.WatchCredentialsRequest:
    if isinstance(names, str):
        raise TypeError("names must be an iterable of names, not one string")
    return agent_pb2.WatchCredentialsRequest(names=list(names))


def redact(text: str | bytes) -> agent_pb2.RedactRequest:
    return agent_pb2.RedactRequest(text=text.encode() if isinstance(text, str) else text)


def redacted(text: str | bytes, response: agent_pb2.RedactResponse) -> str | bytes:
    """The response's text, of the type the caller passed."""
    return response.text.decode() if isinstance(text, str) else response.text
