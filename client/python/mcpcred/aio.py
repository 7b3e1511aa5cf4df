"""The asyncio client of mcpcred-agent (grpc.aio): the methods of Agent as
coroutines, and streams as async iterators."""

from __future__ import annotations

import asyncio
import os
from typing import AsyncIterator, Callable, Generic, Iterable, TypeVar

import grpc
import grpc.aio

from . import _requests
from ._proto import agent_pb2, agent_pb2_grpc
from ._socket import open_aio_channel, resolve_socket_path
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

__all__ = ["AsyncAgent", "AsyncEventStream"]

T = TypeVar("T")


class AsyncEventStream(Generic[T]):
    """The events of one server-streaming call, as an async iterator.

    A failure raises the typed error; cancel() (or leaving the `async with`
    block) ends the call, after which iteration stops without an error.
    """

    def __init__(
        self,
        call: grpc.aio.UnaryStreamCall,
        convert: Callable[[object], T | None],
        socket_path: str,
    ) -> None:
        self._call = call
        self._convert = convert
        self._socket_path = socket_path
        self._cancelled = False

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        while True:
            try:
                message = await self._call.read()
            except asyncio.CancelledError:
                # The call was cancelled under us (cancel()); a cancellation
                # of the task reading is passed on.
                if self._cancelled:
                    raise StopAsyncIteration from None
                raise
            except grpc.RpcError as error:
                if self._cancelled:
                    raise StopAsyncIteration from None
                raise from_rpc_error(error, self._socket_path) from None
            if message is grpc.aio.EOF:
                raise StopAsyncIteration
            event = self._convert(message)
            if event is not None:
                return event

    def cancel(self) -> None:
        self._cancelled = True
        self._call.cancel()

    async def __aenter__(self) -> AsyncEventStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.cancel()


class AsyncAgent:
    """Agent for asyncio: the same socket discovery, deadlines and errors.

    Create it in the event loop that uses it; `await close()` (or use
    `async with`) when done.
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
        self._channel = open_aio_channel(self._socket_path)
        self._stub = agent_pb2_grpc.AgentStub(self._channel)
        self._get_credential = _requests.get_credential_method(self._channel)
        self._requests = _requests.SerializedRequests()

    @property
    def socket_path(self) -> str:
        return self._socket_path

    async def get_credential(
        self,
        name: str,
        min_ttl: float = 0,
        force_refresh: bool = False,
        rejected_version: int = 0,
    ) -> Credential:
        """See Agent.get_credential."""
        request = self._requests.get_credential(name, min_ttl, force_refresh, rejected_version)
        try:
            response = await self._get_credential(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error, self._socket_path) from None
        return credential_from_proto(response)

    def watch(self, names: Iterable[str] = ()) -> AsyncEventStream[CredentialEvent]:
        """See Agent.watch."""
        call = self._stub.WatchCredentials(_requests.watch(names))
        return AsyncEventStream(call, event_from_proto, self._socket_path)

    async def secret_keys(self) -> SecretKeys:
        response = await self._unary(self._stub.GetSecretKeys, agent_pb2.GetSecretKeysRequest())
        return secret_keys_from_proto(response)

    async def redact(self, text: str | bytes) -> str | bytes:
        """See Agent.redact."""
        response = await self._unary(self._stub.Redact, _requests.redact(text))
        return _requests.redacted(text, response)

    async def list_credentials(self) -> list[CredentialInfo]:
        response = await self._unary(
            self._stub.ListCredentials, agent_pb2.ListCredentialsRequest()
        )
        return credential_infos_from_proto(response)

    def login(self, name: str, device: bool = False) -> AsyncEventStream[LoginEvent]:
        """See Agent.login."""
        call = self._stub.Login(
            agent_pb2.LoginRequest(name=name, device=device), timeout=self._login_timeout
        )
        return AsyncEventStream(call, login_event_from_proto, self._socket_path)

    async def logout(self, name: str) -> None:
        await self._unary(self._stub.Logout, agent_pb2.LogoutRequest(name=name))

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> AsyncAgent:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _unary(self, method: grpc.aio.UnaryUnaryMultiCallable, request: object) -> object:
        try:
            return await method(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error, self._socket_path) from None
