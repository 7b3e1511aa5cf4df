"""Request messages shared by the sync and the asyncio client."""

from __future__ import annotations

from typing import Any, Iterable

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


_GET_CREDENTIAL_PATH = f"/{agent_pb2.DESCRIPTOR.services_by_name['Agent'].full_name}/GetCredential"


def get_credential_method(channel: Any) -> Any:
    """GetCredential on `channel` (a grpc.Channel or grpc.aio.Channel), taking
    the request serialized (SerializedRequests) and answering a Credential
    message."""
    return channel.unary_unary(
        _GET_CREDENTIAL_PATH, response_deserializer=agent_pb2.Credential.FromString
    )


class SerializedRequests:
    """Serialized GetCredential requests. Those with the default arguments,
    which a host sends before each request it signs, are built once per
    name and kept (up to _KEPT names; then they start over).

    Thread-safe (one dict, read and written whole under the GIL)."""

    _KEPT = 256

    def __init__(self) -> None:
        self._plain: dict[str, bytes] = {}

    def get_credential(
        self, name: str, min_ttl: float, force_refresh: bool, rejected_version: int
    ) -> bytes:
        """As get_credential() (ValueError likewise), serialized."""
        plain = type(name) is str and not (min_ttl or force_refresh or rejected_version)
        if plain:
            kept = self._plain.get(name)
            if kept is not None:
                return kept
        request = get_credential(name, min_ttl, force_refresh, rejected_version)
        serialized = request.SerializeToString()
        if plain:
            if len(self._plain) >= self._KEPT:
                self._plain.clear()
            self._plain[name] = serialized
        return serialized


def watch(names: Iterable[str]) -> agent_pb2.WatchCredentialsRequest:
    if isinstance(names, str):
        raise TypeError("names must be an iterable of names, not one string")
    return agent_pb2.WatchCredentialsRequest(names=list(names))


def redact(text: str | bytes) -> agent_pb2.RedactRequest:
    return agent_pb2.RedactRequest(text=text.encode() if isinstance(text, str) else text)


def redacted(text: str | bytes, response: agent_pb2.RedactResponse) -> str | bytes:
    """The response's text, of the type the caller passed."""
    return response.text.decode() if isinstance(text, str) else response.text
