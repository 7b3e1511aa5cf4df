"""CredentialCache and TokenProvider against a real agent: changes arrive by
the Watch stream (a rotation, a proactive refresh, a removal by reload), and
the cache survives an agent restart.

These tests need WatchCredentials in the agent: without it they fail saying
so (the cache alone would still answer, by asking the agent each time).
"""

import threading
import time
import unittest

import harness
from mcpcred import (
    Agent,
    AgentUnavailableError,
    CredentialCache,
    EventKind,
    NotFoundError,
    TokenProvider,
)

EVENT_LIMIT = 15.0
SYNC_LIMIT = 20.0


class EventLog:
    """The events a cache's on_event saw, with their arrival times."""

    def __init__(self) -> None:
        self._events = []
        self._changed = threading.Condition()

    def __call__(self, event) -> None:
        with self._changed:
            self._events.append((time.monotonic(), event))
            self._changed.notify_all()

    def wait_for(self, predicate, limit: float = EVENT_LIMIT):
        """The first (arrival time, event) matching `predicate`, waiting up to
        `limit` seconds; None if none came."""
        deadline = time.monotonic() + limit
        with self._changed:
            while True:
                for arrival, event in self._events:
                    if predicate(event):
                        return arrival, event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)


class CacheTestBase(unittest.TestCase):
    def setUp(self):
        self.sandbox = harness.Sandbox(self)
        self.addCleanup(self.sandbox.close)
        self.sandbox.write_config(self.config())
        self.agent = self.sandbox.start_agent()
        self.events = EventLog()

    def config(self) -> str:
        return (
            harness.static_credential_toml()
            + "\n"
            + harness.command_credential_toml(self.sandbox, "cmd", 3600)
            + "\n"
            + harness.command_credential_toml(self.sandbox, "short", 4)
        )

    def new_cache(self, names) -> CredentialCache:
        """A cache on the sandbox's agent, synced (or the test fails)."""
        cache = CredentialCache(names, socket_path=self.sandbox.socket_path, on_event=self.events)
        self.addCleanup(cache.close)
        harness.require_synced(self, cache, SYNC_LIMIT)
        return cache

    def get(self, cache: CredentialCache, name: str):
        credential = cache.get(name)
        self.sandbox.note_token(credential.token)
        return credential


class WatchTest(CacheTestBase):
    def test_rotation_reaches_the_cache(self):
        cache = self.new_cache(["cmd"])
        held = self.get(cache, "cmd")
        self.assertTrue(harness.wait_until(lambda: cache.is_fresh("cmd"), EVENT_LIMIT))
        # Another client rotates it (as after a 401 elsewhere).
        with Agent(self.sandbox.socket_path) as other:
            started = time.monotonic()
            rotated = other.get_credential("cmd", force_refresh=True, rejected_version=held.version)
            answered = time.monotonic()
        self.sandbox.note_token(rotated.token)
        self.assertGreater(rotated.version, held.version)
        self.assertTrue(rotated.token != held.token, "the forced refresh returned the same token")
        seen = self.events.wait_for(
            lambda e: e.name == "cmd" and e.credential is not None
            and e.credential.version >= rotated.version
        )
        self.assertIsNotNone(
            seen, f"no Watch event carried the rotated credential in {EVENT_LIMIT} s"
        )
        arrival, event = seen
        self.assertEqual(event.kind, EventKind.REFRESHED)
        print(
            f"\n[figure] rotation -> cache via Watch: {(arrival - started) * 1e3:.2f} ms after "
            f"the forced refresh started ({(arrival - answered) * 1e3:+.2f} ms from its answer)"
        )
        in_memory = cache.peek("cmd")
        self.assertIsNotNone(in_memory, "the rotated credential is not served from memory")
        self.assertEqual(in_memory.version, rotated.version)
        self.assertTrue(in_memory.token == rotated.token, "memory holds another token")

    def test_proactive_refresh_is_pushed(self):
        cache = self.new_cache(["short"])
        first = self.get(cache, "short")
        seen = self.events.wait_for(
            lambda e: e.name == "short" and e.credential is not None
            and e.credential.version > first.version
        )
        self.assertIsNotNone(seen, "the agent's refresh of a 4 s token was not pushed")
        self.assertEqual(seen[1].kind, EventKind.REFRESHED)
        self.sandbox.note_token(seen[1].credential.token)
        self.assertTrue(seen[1].credential.token != first.token, "refreshed to the same token")
        self.assertTrue(cache.is_fresh("short"))

    def test_removal_by_reload(self):
        cache = self.new_cache([harness.STATIC_NAME, "cmd"])
        self.get(cache, "cmd")
        self.sandbox.write_config(harness.static_credential_toml())
        self.sandbox.cli("reload")
        seen = self.events.wait_for(lambda e: e.name == "cmd" and e.kind == EventKind.REMOVED)
        self.assertIsNotNone(seen, "no REMOVED event after the reload")
        with self.assertRaises(NotFoundError):
            cache.get("cmd")
        self.assertFalse(cache.is_fresh("cmd"))
        self.assertEqual(cache.get(harness.STATIC_NAME).name, harness.STATIC_NAME)


class TokenProviderTest(CacheTestBase):
    def test_env_headers_keys_and_freshness(self):
        with TokenProvider(harness.STATIC_NAME, socket_path=self.sandbox.socket_path) as provider:
            headers = provider.as_headers()
            self.assertTrue(
                headers == {"Authorization": "Bearer " + self.sandbox.secret},
                f"unexpected headers {sorted(headers)}",
            )
            self.assertTrue(
                provider.as_env() == {"DEMO_API_KEY": self.sandbox.secret},
                "unexpected env",
            )
            self.assertEqual(provider.secret_keys(), frozenset({"DEMO_API_KEY", "Authorization"}))
            # Once the stream holds it, it answers from memory.
            self.assertTrue(harness.wait_until(provider.is_fresh, SYNC_LIMIT),
                            "the provider never held the credential in memory")
            headers["Authorization"] = "changed"
            self.assertNotEqual(provider.as_headers()["Authorization"], "changed")

    def test_unknown_credential(self):
        with TokenProvider("nope", socket_path=self.sandbox.socket_path) as provider:
            with self.assertRaises(NotFoundError):
                provider.as_headers()
            self.assertFalse(provider.is_fresh())


class RestartTest(CacheTestBase):
    def restart_under_a_live_cache(self, stop) -> None:
        cache = self.new_cache([harness.STATIC_NAME])
        provider = TokenProvider(harness.STATIC_NAME, cache=cache)
        before = provider.as_headers()
        self.assertTrue(harness.wait_until(provider.is_fresh, EVENT_LIMIT))

        stop(self.agent)
        self.assertTrue(
            harness.wait_until(lambda: not cache.connected, EVENT_LIMIT),
            "the cache did not notice the agent going away",
        )
        # Meanwhile the held credential (still valid) keeps serving...
        self.assertTrue(provider.as_headers() == before, "the held credential was not served")
        # ...while a client without one learns that no agent answers.
        with CredentialCache([harness.STATIC_NAME], socket_path=self.sandbox.socket_path) as empty:
            with self.assertRaises(AgentUnavailableError):
                empty.get(harness.STATIC_NAME)

        started = time.monotonic()
        self.sandbox.start_agent()
        serving = time.monotonic()
        harness.require_synced(self, cache, SYNC_LIMIT)
        synced = time.monotonic()
        print(
            f"\n[figure] cache re-synced {(synced - started) * 1e3:.0f} ms after the new agent "
            f"was started ({(serving - started) * 1e3:.0f} ms until it served; the backoff "
            "caps the wait at 5 s)"
        )
        self.assertIsNone(cache.stream_error)
        after = provider.as_headers()
        self.assertTrue(after == before, "the new agent's credential differs")
        self.assertTrue(harness.wait_until(provider.is_fresh, EVENT_LIMIT))
        self.assertTrue(cache.connected)

    def test_agent_restart(self):
        self.restart_under_a_live_cache(lambda agent: self.assertEqual(agent.stop(), 0))

    def test_agent_crash(self):
        def kill(agent):
            agent.process.kill()
            agent.process.wait(harness.STOP_LIMIT)

        self.restart_under_a_live_cache(kill)


if __name__ == "__main__":
    unittest.main()
