"""Finding the agent's socket and opening channels to it."""

from __future__ import annotations

import os

import grpc
import grpc.aio

from .errors import AgentUnavailableError

# Reconnecting after the agent restarts: with gRPC's defaults (1 s, growing
# to 120 s) a channel would keep failing long after the new agent serves.
# min_reconnect_backoff_ms is gRPC's connect deadline (default 20 s).
#
# Per-call costs a local agent does not need (each is a few microseconds of
# a ~70 us GetCredential, measured by bench/bench.py):
# - enable_retries: gRPC's retry machinery. The agent sends no retry policy,
#   so it would only ever retry transparently a call the agent refused
#   unseen while closing; such a call fails UNAVAILABLE instead, as it does
#   with the C++ client (a direct channel, without retries). Deadlines are
#   kept.
# - enable_channelz: the per-channel call counters of the channelz debug
#   service, which nothing serves in a host process.
_CHANNEL_OPTIONS = (
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 1000),
    ("grpc.min_reconnect_backoff_ms", 2000),
    ("grpc.enable_retries", 0),
    ("grpc.enable_channelz", 0),
)


def resolve_socket_path(socket_path: str | os.PathLike[str] | None = None) -> str:
    """The agent's socket, found as the agent and the CLI find it: the
    argument, else $MCPCRED_SOCK, else $XDG_RUNTIME_DIR/mcpcred/agent.sock.

    Raises AgentUnavailableError when none of them is set (no agent can be
    reached without a socket).
    """
    if socket_path:
        return os.fspath(socket_path)
    from_env = os.environ.get("MCPCRED_SOCK")
    if from_env:
        return from_env
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if runtime_dir:
        return os.path.join(runtime_dir, "mcpcred", "agent.sock")
    raise AgentUnavailableError(
        "cannot find the mcpcred agent's socket: neither MCPCRED_SOCK nor "
        "XDG_RUNTIME_DIR is set; start an agent with "
        "'eval \"$(mcpcred-agent -s)\"'"
    )


def channel_target(socket_path: str) -> str:
    return f"unix:{socket_path}"


def open_channel(socket_path: str, *, private: bool = False) -> grpc.Channel:
    """A channel to the agent. `private`: with a connection of its own, not
    shared with other channels to the same socket, so that it starts with
    no reconnect backoff left over from an earlier failure."""
    options = _CHANNEL_OPTIONS + ((("grpc.use_local_subchannel_pool", 1),) if private else ())
    return grpc.insecure_channel(channel_target(socket_path), options=options)


def open_aio_channel(socket_path: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(channel_target(socket_path), options=_CHANNEL_OPTIONS)
