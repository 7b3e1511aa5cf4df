"""HttpxAuth: an httpx.Auth that signs each request with a credential's
headers and recovers from a rejected one. Needs httpx (the "httpx" extra)."""

from __future__ import annotations

import asyncio
import os
from typing import AsyncGenerator, Generator

import httpx

from . import _requests
from .cache import DEFAULT_MIN_TTL, CredentialCache
from .types import Credential

__all__ = ["HttpxAuth"]


class HttpxAuth(httpx.Auth):
    """Sets the credential `name`'s headers on every request (sync and async
    clients), read from a CredentialCache's memory.

    When the server answers 401, the request is sent once more with the
    credential a forced refresh returns (force_refresh with the rejected
    version: the agent refreshes once however many requests report the same
    rejection); the second answer is returned whatever it is. Errors of the
    agent (LoginRequiredError, AgentUnavailableError, ...) are raised from
    the request call.

    With no `cache`, it makes its own (watching `name` only) and closes it in
    close(); a shared `cache` is left open.
    """

    # The request may be sent twice: httpx must keep its body.
    requires_request_body = True

    def __init__(
        self,
        name: str,
        *,
        cache: CredentialCache | None = None,
        socket_path: str | os.PathLike[str] | None = None,
        min_ttl: float = DEFAULT_MIN_TTL,
        timeout: float = _requests.DEFAULT_TIMEOUT,
    ) -> None:
        self.name = name
        self._min_ttl = min_ttl
        self._owns_cache = cache is None
        self._cache = (
            cache
            if cache is not None
            else CredentialCache([name], socket_path=socket_path, min_ttl=min_ttl, timeout=timeout)
        )

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        credential = self._cache.get(self.name, self._min_ttl)
        request.headers.update(credential.headers)
        response = yield request
        if response.status_code == 401:
            request.headers.update(self._cache.refresh(credential).headers)
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        # Memory first; only a call to the agent goes to a thread, so the
        # event loop never waits on it.
        credential = self._cache.peek(self.name, self._min_ttl)
        if credential is None:
            credential = await asyncio.to_thread(self._cache.get, self.name, self._min_ttl)
        request.headers.update(credential.headers)
        response = yield request
        if response.status_code == 401:
            fresh: Credential = await asyncio.to_thread(self._cache.refresh, credential)
            request.headers.update(fresh.headers)
            yield request

    def close(self) -> None:
        if self._owns_cache:
            self._cache.close()

    def __enter__(self) -> HttpxAuth:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HttpxAuth({self.name!r})"
