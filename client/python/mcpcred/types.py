"""What the agent answers, as plain Python values (no protobuf in the API).

Values that hold secrets (Credential) never show them in repr(): a credential
that ends up in a log or a traceback shows its name, version, expiry and key
names only.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import math
from typing import Mapping, Union

from ._proto import agent_pb2
from .errors import McpcredError, error_for_number

__all__ = [
    "Credential",
    "CredentialEvent",
    "CredentialInfo",
    "DeviceCode",
    "EventKind",
    "LoginDone",
    "LoginEvent",
    "OpenUrl",
    "SecretKeys",
]


@dataclasses.dataclass(frozen=True, repr=False)
class Credential:
    """One rendered credential.

    `env` and `headers` are what the credential's templates produced;
    `secret_env_keys` and `secret_header_names` name those that hold
    secrets. `expires_at` is None when it never expires. `version` grows with
    every fetch, refresh and login within one agent's lifetime (it starts over
    when the agent restarts).
    """

    name: str
    token: str
    env: Mapping[str, str]
    headers: Mapping[str, str]
    expires_at: datetime.datetime | None
    secret_env_keys: tuple[str, ...]
    secret_header_names: tuple[str, ...]
    version: int

    def __repr__(self) -> str:
        return (
            f"Credential(name={self.name!r}, version={self.version}, "
            f"expires_at={self.expires_at!r}, env_keys={sorted(self.env)!r}, "
            f"header_names={sorted(self.headers)!r})"
        )

    @property
    def deadline(self) -> float:
        """expires_at as seconds since the epoch (math.inf: never)."""
        return math.inf if self.expires_at is None else self.expires_at.timestamp()


@dataclasses.dataclass(frozen=True)
class SecretKeys:
    """Every env key and header name any configured credential fills: a host
    keeps them away from subagents and transcripts."""

    env_keys: tuple[str, ...]
    header_names: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class CredentialInfo:
    """One entry of ListCredentials. `state` is "ready", "login_required",
    "error" or "unspecified"; `stored_kinds` names what the secret store
    holds for it ("secret", "refresh_token", ...), never a value."""

    name: str
    provider: str
    state: str
    expires_at: datetime.datetime | None
    last_error: str
    cached: bool
    has_login: bool
    stored_kinds: tuple[str, ...]


class EventKind(enum.IntEnum):
    """CredentialEvent.Kind of the proto (see there for each meaning)."""

    UNSPECIFIED = 0
    SNAPSHOT = 1
    SYNCED = 2
    REFRESHED = 3
    LOGIN = 4
    LOGOUT = 5
    REMOVED = 6
    RELOADED = 7
    ERROR = 8


@dataclasses.dataclass(frozen=True)
class CredentialEvent:
    """One event of a WatchCredentials stream.

    `credential` is set when the agent holds a valid credential. Without one,
    `error` says why (LoginRequiredError after a logout, NotFoundError after
    a removal, ...), or is None when nothing was fetched yet (a SNAPSHOT) or
    for SYNCED. A kind this client does not know arrives as UNSPECIFIED.
    """

    kind: EventKind
    name: str
    credential: Credential | None
    error: McpcredError | None


@dataclasses.dataclass(frozen=True)
class OpenUrl:
    """Login: open this URL in a browser."""

    url: str


@dataclasses.dataclass(frozen=True)
class DeviceCode:
    """Login (device flow): enter `user_code` at `verification_uri`."""

    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_in: int


@dataclasses.dataclass(frozen=True)
class LoginDone:
    """Login: done, the credential is ready."""


LoginEvent = Union[OpenUrl, DeviceCode, LoginDone]


def _time(message: agent_pb2.Credential | agent_pb2.CredentialInfo) -> datetime.datetime | None:
    if not message.HasField("expires_at"):
        return None
    return message.expires_at.ToDatetime(tzinfo=datetime.timezone.utc)


def credential_from_proto(message: agent_pb2.Credential) -> Credential:
    # On every GetCredential, so built the cheap way: dict(map) goes through
    # collections.abc's Python-level keys(), and the frozen dataclass's
    # __init__ sets each field through object.__setattr__; filling __dict__
    # at once gives the same object (Credential has no __slots__ and no
    # __post_init__).
    env = message.env
    headers = message.headers
    credential = object.__new__(Credential)
    credential.__dict__.update(
        name=message.name,
        token=message.token,
        env={key: env[key] for key in env},
        headers={name: headers[name] for name in headers},
        expires_at=_time(message),
        secret_env_keys=tuple(message.secret_env_keys),
        secret_header_names=tuple(message.secret_header_names),
        version=message.version,
    )
    return credential


def secret_keys_from_proto(message: agent_pb2.GetSecretKeysResponse) -> SecretKeys:
    return SecretKeys(env_keys=tuple(message.env_keys), header_names=tuple(message.header_names))


_STATES = {
    agent_pb2.CredentialInfo.READY: "ready",
    agent_pb2.CredentialInfo.LOGIN_REQUIRED: "login_required",
    agent_pb2.CredentialInfo.ERROR: "error",
}


def credential_infos_from_proto(
    message: agent_pb2.ListCredentialsResponse,
) -> list[CredentialInfo]:
    return [
        CredentialInfo(
            name=info.name,
            provider=info.provider,
            state=_STATES.get(info.state, "unspecified"),
            expires_at=_time(info),
            last_error=info.last_error,
            cached=info.cached,
            has_login=info.has_login,
            stored_kinds=tuple(info.stored_kinds),
        )
        for info in message.credentials
    ]


def event_from_proto(message: agent_pb2.CredentialEvent) -> CredentialEvent:
    try:
        kind = EventKind(message.kind)
    except ValueError:
        kind = EventKind.UNSPECIFIED
    credential = None
    error = None
    if message.HasField("credential"):
        credential = credential_from_proto(message.credential)
    elif message.error_code != 0:
        error = error_for_number(message.error_code, message.error_message)
    return CredentialEvent(kind=kind, name=message.name, credential=credential, error=error)


def login_event_from_proto(message: agent_pb2.LoginEvent) -> LoginEvent | None:
    """None for an event kind this client does not know (skipped)."""
    which = message.WhichOneof("event")
    if which == "open_url":
        return OpenUrl(url=message.open_url.url)
    if which == "device_code":
        code = message.device_code
        return DeviceCode(
            user_code=code.user_code,
            verification_uri=code.verification_uri,
            verification_uri_complete=code.verification_uri_complete,
            expires_in=code.expires_in,
        )
    if which == "done":
        return LoginDone()
    return None
