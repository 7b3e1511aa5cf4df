"""The synchronous client of mcpcred-agent: one gRPC call per method."""

from __future__ import annotations

import os
import threading
from typing import Callable, Generic, Iterable, Iterator, TypeVar

import grpc

from . import _requests
from ._proto import agent_pb2, agent_pb2_grpc
from ._socket import open_channel, resolve_socket_path
from .errors import from_rpc_error
from .types import (
    Credential,
    CredentialEvent,
    CredentialInfo,
    LoginEvent,
    SecretKeys,
    credential_from_proto,
    credential_infos_from_proto,
    event_from_proto,
    login_event_from_proto,
    secret_keys_from_proto,
)

__all__ = ["Agent", "EventStream"]

T = TypeVar("T")


class EventStream(Generic[T]):
    """The events of one server-streaming call (watch() or login()).

    Iterating yields events until the agent ends the stream; a failure raises
    the typed error (McpcredError and subclasses). cancel() (or leaving the
    `with` block) ends the call from any thread: iteration then stops
    without an error.

    Iterate from one thread at a time; cancel() is thread-safe.
    """

    def __init__(
        self,
        call: grpc.Call,
        convert: Callable[[object], T | None],
        socket_path: str,
    ) -> None:
        self._call = call
        self._convert = convert
        self._socket_path = socket_path
        self._cancelled = threading.Event()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        while True:
            try:
                message = next(self._call)
            except grpc.RpcError as error:
                if self._cancelled.is_set():
                    raise StopIteration from None
                raise from_rpc_error(error, self._socket_path) from None
            event = self._convert(message)
            if event is not None:
                return event

    def cancel(self) -> None:
        self._cancelled.set()
        self._call.cancel()

    def __enter__(self) -> EventStream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()


class Agent:
    """A connection to mcpcred-agent on its Unix socket.

    The socket is `socket_path`, else $MCPCRED_SOCK, else
    $XDG_RUNTIME_DIR/mcpcred/agent.sock (AgentUnavailableError when none is
    set). Nothing connects until the first call. Each unary call has a
    deadline of `timeout` seconds; a login, `login_timeout`.

    Errors are McpcredError subclasses with the agent's code and one-line
    message; AgentUnavailableError when no agent answers on the socket.

    Thread-safe: one Agent may be shared between threads. close() it when
    done, or use it as a context manager.
    """

    def __init__(
        self,
        socket_path: str | os.PathLike[str] | None = None,
        *,
        timeout: float = _requests.DEFAULT_TIMEOUT,
        login_timeout: float = _requests.DEFAULT_LOGIN_TIMEOUT,
    ) -> None:
        self._socket_path = resolve_socket_path(socket_path)
        self._timeout = timeout
        self._login_timeout = login_timeout
        self._channel = open_channel(self._socket_path)
        self._stub = agent_pb2_grpc.AgentStub(self._channel)
        self._get_credential = _requests.get_credential_method(self._channel)
        self._requests = _requests.SerializedRequests()

    @property
    def socket_path(self) -> str:
        return self._socket_path

    def get_credential(
        self,
        name: str,
        min_ttl: float = 0,
        force_refresh: bool = False,
        rejected_version: int = 0,
    ) -> Credential:
        """The credential `name`, valid for at least `min_ttl` seconds.

        force_refresh: the caller's server rejected the credential it holds
        (HTTP 401), so the agent fetches a new one now; rejected_version is
        that credential's version (the agent then returns a newer one it
        already holds instead of refreshing again). LoginRequiredError when
        the provider cannot refresh or needs a login; NotFoundError for an
        unknown name.
        """
        # The hot path of a host (a call before each request it signs): the
        # request serialized once per name, and _unary() inlined.
        request = self._requests.get_credential(name, min_ttl, force_refresh, rejected_version)
        try:
            response = self._get_credential(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error, self._socket_path) from None
        return credential_from_proto(response)

    def watch(self, names: Iterable[str] = ()) -> EventStream[CredentialEvent]:
        """Streams the state of `names` (empty: every credential, including
        those a reload adds): a SNAPSHOT per credential, SYNCED, then one
        event per change. NotFoundError (on iteration) if a named credential
        does not exist."""
        call = self._stub.WatchCredentials(_requests.watch(names))
        return EventStream(call, event_from_proto, self._socket_path)

    def secret_keys(self) -> SecretKeys:
        response = self._unary(self._stub.GetSecretKeys, agent_pb2.GetSecretKeysRequest())
        return secret_keys_from_proto(response)

    def redact(self, text: str | bytes) -> str | bytes:
        """`text` with every secret the agent holds replaced by
        [REDACTED:<credential>]; str in, str out, bytes in, bytes out."""
        response = self._unary(self._stub.Redact, _requests.redact(text))
        return _requests.redacted(text, response)

    def list_credentials(self) -> list[CredentialInfo]:
        response = self._unary(self._stub.ListCredentials, agent_pb2.ListCredentialsRequest())
        return credential_infos_from_proto(response)

    def login(self, name: str, device: bool = False) -> EventStream[LoginEvent]:
        """Starts a login and streams its events: OpenUrl or DeviceCode (show
        it to the user), then LoginDone. `device` prefers the device flow.
        LoginRequiredError (on iteration) for providers without a login."""
        call = self._stub.Login(
            agent_pb2.LoginRequest(name=name, device=device), timeout=self._login_timeout
        )
        return EventStream(call, login_event_from_proto, self._socket_path)

    def logout(self, name: str) -> None:
        """Revokes and forgets the credential's login."""
        self._unary(self._stub.Logout, agent_pb2.LogoutRequest(name=name))

    def close(self) -> None:
        """Closes the channel; running streams end with an error."""
        self._channel.close()

    def __enter__(self) -> Agent:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _unary(self, method: grpc.UnaryUnaryMultiCallable, request: object) -> object:
        try:
            return method(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error, self._socket_path) from None
