"""TokenProvider: one credential as env and headers, for MCP hosts.

It has the four methods of the token-provider protocol proposed for gptme's
MCP client (as_env, as_headers, is_fresh, secret_keys), so a host that takes
a StaticTokenProvider takes this one instead:

    provider = TokenProvider("github")      # was: StaticTokenProvider(...)
"""

from __future__ import annotations

import os

from . import _requests
from .cache import DEFAULT_MIN_TTL, CredentialCache

__all__ = ["TokenProvider"]


class TokenProvider:
    """The credential `name`, answered from a CredentialCache's memory.

    With no `cache`, the provider makes its own (watching `name` only, on
    `socket_path`) and closes it in close(); a shared `cache` is left open.
    Creating one does not wait for the agent: the first call that finds
    nothing in memory asks the agent directly.

    as_env() and as_headers() return new dicts (the caller may change them)
    and raise McpcredError subclasses: LoginRequiredError whose message says
    to run 'mcpcred login NAME', AgentUnavailableError, NotFoundError.

    Thread-safe.
    """

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

    def as_headers(self) -> dict[str, str]:
        """The HTTP headers to send, e.g. {"Authorization": "Bearer ..."}."""
        return dict(self._cache.get(self.name, self._min_ttl).headers)

    def as_env(self) -> dict[str, str]:
        """The environment for a stdio server, e.g. {"GITHUB_TOKEN": "..."}."""
        return dict(self._cache.get(self.name, self._min_ttl).env)

    def is_fresh(self) -> bool:
        """True when a credential valid for min_ttl seconds is in memory (the
        next as_headers() answers without the agent). Never raises."""
        return self._cache.is_fresh(self.name, self._min_ttl)

    def secret_keys(self) -> frozenset[str]:
        """The env keys and header names whose values are secret: a host
        strips them from subagents and transcripts."""
        credential = self._cache.get(self.name, self._min_ttl)
        return frozenset(credential.secret_env_keys) | frozenset(credential.secret_header_names)

    def close(self) -> None:
        if self._owns_cache:
            self._cache.close()

    def __enter__(self) -> TokenProvider:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TokenProvider({self.name!r})"
