"""An in-process copy of credentials, kept current by the agent's Watch stream.

A host reads credentials per request from memory (microseconds) instead of
asking the agent each time, and never holds an expired or logged-out one for
longer than the stream takes to deliver the change.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import random
import threading
import time
from typing import Callable, Iterable

import grpc

from . import _requests
from ._proto import agent_pb2_grpc
from ._socket import open_channel
from .agent import Agent, EventStream
from .errors import McpcredError
from .types import Credential, CredentialEvent, EventKind, event_from_proto

__all__ = ["CredentialCache", "DEFAULT_MIN_TTL"]

_log = logging.getLogger("mcpcred")

# A credential is served from memory while it stays valid this long: room for
# the request that carries it to reach its server.
DEFAULT_MIN_TTL = 1.0

# Reconnecting the stream: the first retry after BACKOFF_INITIAL, doubling to
# BACKOFF_MAX, each delay with up to half taken off at random.
BACKOFF_INITIAL = 0.1
BACKOFF_MAX = 5.0

# Errors that can clear up without an event (the upstream comes back, a
# deadline was hit): a remembered one sends get() to the agent again instead
# of being raised from memory. Others (a login is needed, the credential was
# removed, a config mistake) stand until an event replaces them.
_TRANSIENT = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        grpc.StatusCode.ABORTED,
        grpc.StatusCode.CANCELLED,
    }
)


@dataclasses.dataclass(frozen=True)
class _Entry:
    """What the stream says of one credential: a credential (valid until
    `deadline`, seconds since the epoch), or none and why (`error`; None when
    nothing was fetched yet)."""

    credential: Credential | None
    deadline: float
    error: McpcredError | None

    @classmethod
    def of_event(cls, event: CredentialEvent) -> _Entry:
        if event.credential is None:
            return cls(None, -math.inf, event.error)
        return cls.of(event.credential)

    @classmethod
    def of(cls, credential: Credential) -> _Entry:
        return cls(credential, credential.deadline, None)


class CredentialCache:
    """Credentials `names` (empty: all of them), held in memory and kept
    current by a background thread that consumes WatchCredentials.

    How get() answers:
    - while the stream is live, from memory: the held credential if it stays
      valid for min_ttl seconds, else the remembered error (LoginRequiredError
      after a logout, NotFoundError after a removal); an event with a
      credential replaces the held one, an event without one removes it and
      its error is remembered;
    - otherwise from the agent (get_credential): when the stream is down, the
      held copy is close to expiry, nothing was fetched yet, or the remembered
      error is transient. When the agent cannot be reached (or says
      UNAVAILABLE) a held copy that has not expired is served.

    The thread reconnects when the stream ends (e.g. the agent restarts),
    after 0.1 s doubling to 5 s with jitter; it never raises into the host:
    failures are logged on the "mcpcred" logger and kept in stream_error.
    `on_event(event)`, if given, is called on that thread after each event
    is applied; it must return quickly, and its exceptions are logged.

    Thread-safe. close() it when done (or use it as a context manager).
    """

    def __init__(
        self,
        names: Iterable[str] = (),
        *,
        socket_path: str | os.PathLike[str] | None = None,
        min_ttl: float = DEFAULT_MIN_TTL,
        timeout: float = _requests.DEFAULT_TIMEOUT,
        on_event: Callable[[CredentialEvent], None] | None = None,
    ) -> None:
        if isinstance(names, str):
            raise TypeError("names must be an iterable of names, not one string")
        self._names = tuple(names)
        self._min_ttl = min_ttl
        self._on_event = on_event
        self._agent = Agent(socket_path, timeout=timeout)
        # Readers use _entries and _live without the lock (each read is
        # atomic); writers hold it. The stream swaps in a new dict at SYNCED.
        self._lock = threading.Lock()
        self._synced = threading.Condition(self._lock)
        self._entries: dict[str, _Entry] = {}
        self._live = False
        self._stream: EventStream[CredentialEvent] | None = None
        self._stream_error: McpcredError | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mcpcred-watch", daemon=True)
        self._thread.start()

    @property
    def socket_path(self) -> str:
        return self._agent.socket_path

    @property
    def connected(self) -> bool:
        """True while the stream is live (synced and not ended)."""
        return self._live

    @property
    def stream_error(self) -> McpcredError | None:
        """Why the stream last ended or could not start; None since the last
        SYNCED."""
        return self._stream_error

    def wait_synced(self, timeout: float | None = None) -> bool:
        """Waits until the stream is live; False if `timeout` passed first."""
        with self._synced:
            return self._synced.wait_for(lambda: self._live, timeout)

    def get(self, name: str, min_ttl: float | None = None) -> Credential:
        """The credential `name`, valid for at least `min_ttl` seconds (the
        cache's default when None). Raises McpcredError subclasses, as
        Agent.get_credential does."""
        ttl = self._min_ttl if min_ttl is None else min_ttl
        credential = self.peek(name, ttl)
        if credential is not None:
            return credential
        return self._fetch(name, ttl)

    def peek(self, name: str, min_ttl: float | None = None) -> Credential | None:
        """get() from memory only: the credential get() would return without
        asking the agent, or None when get() would ask it. Raises a remembered
        error as get() would. Never blocks."""
        if not self._live:
            return None
        entry = self._entries.get(name)
        if entry is None:
            return None
        ttl = self._min_ttl if min_ttl is None else min_ttl
        if entry.deadline - time.time() > ttl:
            return entry.credential
        if entry.error is not None and entry.error.code not in _TRANSIENT:
            raise entry.error.copy()
        return None

    def is_fresh(self, name: str, min_ttl: float | None = None) -> bool:
        """True if get() would answer with a credential from memory."""
        try:
            return self.peek(name, min_ttl) is not None
        except McpcredError:
            return False

    def refresh(self, rejected: Credential) -> Credential:
        """A credential to use instead of `rejected`, which a server refused
        (HTTP 401): a newer one the stream already delivered, else the
        agent's answer to a forced refresh. Raises McpcredError subclasses
        (LoginRequiredError when the credential cannot be refreshed)."""
        held = self.peek(rejected.name, 0)
        if held is not None and held.version > rejected.version and held.token != rejected.token:
            return held
        credential = self._agent.get_credential(
            rejected.name, force_refresh=True, rejected_version=rejected.version
        )
        self._store(credential)
        return credential

    def close(self) -> None:
        """Stops the stream and the thread, and closes the channel."""
        with self._lock:
            self._stop.set()
            stream = self._stream
        if stream is not None:
            stream.cancel()
        if threading.current_thread() is not self._thread:
            # Bounded: a blocking on_event callback must not hang the host.
            self._thread.join(_requests.DEFAULT_TIMEOUT)
        self._agent.close()

    def __enter__(self) -> CredentialCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _fetch(self, name: str, min_ttl: float) -> Credential:
        try:
            credential = self._agent.get_credential(name, min_ttl=min_ttl)
        except McpcredError as error:
            if error.code == grpc.StatusCode.UNAVAILABLE:
                entry = self._entries.get(name)
                if entry is not None and entry.deadline > time.time():
                    return entry.credential
            raise
        self._store(credential)
        return credential

    def _store(self, credential: Credential) -> None:
        """Keeps a credential fetched outside the stream unless the stream
        already delivered a newer one."""
        with self._lock:
            held = self._entries.get(credential.name)
            if held is None or held.credential is None or (
                credential.version > held.credential.version
            ):
                self._entries[credential.name] = _Entry.of(credential)

    def _run(self) -> None:
        delay = BACKOFF_INITIAL
        while not self._stop.is_set():
            try:
                synced = self._watch_once()
            except Exception:  # a bug here must not end the thread
                _log.exception("mcpcred: the watch stream failed unexpectedly")
                synced = False
            finally:
                self._live = False
            if synced:
                delay = BACKOFF_INITIAL
            self._stop.wait(delay / 2 + random.uniform(0, delay / 2))
            delay = min(delay * 2, BACKOFF_MAX)

    def _watch_once(self) -> bool:
        """Runs one stream until it ends; True if it got to SYNCED.

        Each attempt has a channel of its own: a shared one could still be
        waiting out gRPC's reconnect backoff when the new agent serves, so
        this thread's backoff alone decides when to try again.
        """
        channel = open_channel(self.socket_path, private=True)
        try:
            with self._lock:
                if self._stop.is_set():
                    return False
                call = agent_pb2_grpc.AgentStub(channel).WatchCredentials(
                    _requests.watch(self._names)
                )
                stream = self._stream = EventStream(call, event_from_proto, self.socket_path)
            return self._consume(stream)
        finally:
            channel.close()

    def _consume(self, stream: EventStream[CredentialEvent]) -> bool:
        snapshot: dict[str, _Entry] = {}
        synced = False
        try:
            for event in stream:
                if synced:
                    if event.name:
                        with self._lock:
                            self._entries[event.name] = _Entry.of_event(event)
                elif event.kind == EventKind.SYNCED:
                    with self._lock:
                        self._entries = snapshot
                        self._live = True
                        self._stream_error = None
                        self._synced.notify_all()
                    synced = True
                else:
                    snapshot[event.name] = _Entry.of_event(event)
                self._notify(event)
        except McpcredError as error:
            self._note_stream_error(error)
        else:
            if not self._stop.is_set():
                _log.info("mcpcred: the agent on %s ended the watch stream", self.socket_path)
        return synced

    def _note_stream_error(self, error: McpcredError) -> None:
        # Once per distinct error: a missing agent would otherwise log every
        # few seconds.
        changed = self._stream_error is None or str(self._stream_error) != str(error)
        self._stream_error = error
        _log.log(
            logging.WARNING if changed else logging.DEBUG,
            "mcpcred: watching credentials on %s failed (%s): %s; retrying",
            self.socket_path,
            error.code.name,
            error,
        )

    def _notify(self, event: CredentialEvent) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception:
            _log.exception("mcpcred: the on_event callback raised")
