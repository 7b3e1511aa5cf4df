"""Python client of mcpcred-agent, the per-user credential agent for MCP hosts.

- Agent / AsyncAgent: one call per RPC (sync, asyncio).
- CredentialCache: credentials in memory, kept current by the Watch stream.
- TokenProvider: one credential as env and headers (as_env, as_headers,
  is_fresh, secret_keys), answered from the cache.
- HttpxAuth: an httpx.Auth with a forced refresh on 401 (needs httpx).

Errors are McpcredError subclasses carrying the agent's code and one-line
message. See README.md.
"""

from .agent import Agent, EventStream
from .aio import AsyncAgent, AsyncEventStream
from .cache import DEFAULT_MIN_TTL, CredentialCache
from .errors import (
    AgentUnavailableError,
    LoginRequiredError,
    McpcredError,
    NotFoundError,
    PermissionDeniedError,
)
from .provider import TokenProvider
from .types import (
    Credential,
    CredentialEvent,
    CredentialInfo,
    DeviceCode,
    EventKind,
    LoginDone,
    LoginEvent,
    OpenUrl,
    SecretKeys,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MIN_TTL",
    "Agent",
    "AgentUnavailableError",
    "AsyncAgent",
    "AsyncEventStream",
    "Credential",
    "CredentialCache",
    "CredentialEvent",
    "CredentialInfo",
    "DeviceCode",
    "EventKind",
    "EventStream",
    "HttpxAuth",
    "LoginDone",
    "LoginEvent",
    "LoginRequiredError",
    "McpcredError",
    "NotFoundError",
    "OpenUrl",
    "PermissionDeniedError",
    "SecretKeys",
    "TokenProvider",
]


def __getattr__(name: str) -> object:
    # httpx is optional: importing mcpcred must not need it.
    if name == "HttpxAuth":
        from .httpx_auth import HttpxAuth

        return HttpxAuth
    raise AttributeError(f"module 'mcpcred' has no attribute {name!r}")
