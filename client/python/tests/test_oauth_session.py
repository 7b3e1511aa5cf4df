"""A host's session against an OAuth-protected MCP resource whose access
tokens live 4 s: the peers of tests/e2e (oidc-provider + a resource that
checks tokens by introspection), a real agent logged in through the CLI and
the scripted browser.

For $MCPCRED_PY_SESSION_SECONDS (default 60) a request goes out every 200 ms
through HttpxAuth (sync and async clients) and with TokenProvider's headers:
every one must get 200, so no expired token and no 401 reaches the caller.
After `mcpcred logout` the next request fails with LoginRequiredError saying
to run `mcpcred login NAME`; a login through Agent.login() recovers.
"""

import asyncio
import os
import time
import unittest

import httpx

import harness
from mcpcred import (
    Agent,
    CredentialCache,
    HttpxAuth,
    LoginDone,
    LoginRequiredError,
    OpenUrl,
    TokenProvider,
)

NAME = "oauth"
SESSION_SECONDS = float(os.environ.get("MCPCRED_PY_SESSION_SECONDS", "60"))
INTERVAL = 0.2
ACCESS_TTL = 4
EVENT_LIMIT = 15.0


class OAuthSessionTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        reason = harness.peers_unavailable_reason()
        if reason:
            self.skipTest(reason)
        self.sandbox = harness.Sandbox(self)
        self.addCleanup(self.sandbox.close)
        self.peers = harness.Peers(
            self.sandbox, "--access-ttl", str(ACCESS_TTL), "--device-interval", "1"
        )
        self.sandbox.write_config(
            harness.static_credential_toml() + "\n" + self.peers.oauth_toml(NAME)
        )
        self.sandbox.start_agent()
        harness.cli_login(self, self.sandbox, NAME)
        socket_path = self.sandbox.socket_path
        self.auth = HttpxAuth(NAME, socket_path=socket_path)
        self.addCleanup(self.auth.close)
        # The provider answers from this cache, which the Watch stream keeps
        # current (HttpxAuth makes its own).
        cache = CredentialCache([NAME], socket_path=socket_path)
        self.addCleanup(cache.close)
        harness.require_synced(self, cache)
        self.provider = TokenProvider(NAME, cache=cache)

    def provider_headers(self) -> dict[str, str]:
        headers = self.provider.as_headers()
        self.sandbox.note_token(headers.get("Authorization", "").removeprefix("Bearer "))
        return headers

    async def resource_stats(self, client: httpx.AsyncClient) -> dict:
        response = await client.get(self.peers.resource_test + "/stats")
        response.raise_for_status()
        return response.json()

    async def test_session_logout_and_login(self):
        resource = self.peers.resource
        with httpx.Client(auth=self.auth, timeout=30) as sync_client:
            async with (
                httpx.AsyncClient(auth=self.auth, timeout=30) as async_client,
                httpx.AsyncClient(timeout=30) as plain,
            ):
                await self.session(resource, sync_client, async_client, plain)
                await self.logout(resource, sync_client, async_client)
                await self.login_again(resource, async_client, plain)

    async def session(self, resource, sync_client, async_client, plain) -> None:
        failures = []
        requests = 0
        from_memory = 0
        begin = time.monotonic()
        while (started := time.monotonic()) - begin < SESSION_SECONDS:
            at = f"t={started - begin:5.1f}s"
            from_memory += self.provider.is_fresh()
            calls = (
                ("HttpxAuth sync", lambda: asyncio.to_thread(sync_client.get, resource)),
                ("HttpxAuth async", lambda: async_client.get(resource)),
                ("TokenProvider", lambda: plain.get(resource, headers=self.provider_headers())),
            )
            for what, call in calls:
                requests += 1
                try:
                    status = (await call()).status_code
                except Exception as error:  # recorded, and the session goes on
                    failures.append(f"{at} {what}: {type(error).__name__}: {error}")
                    continue
                if status != 200:
                    failures.append(f"{at} {what}: HTTP {status}")
            await asyncio.sleep(max(0.0, INTERVAL - (time.monotonic() - started)))
        stats = await self.resource_stats(plain)
        self.assertEqual(failures, [], f"{len(failures)} of {requests} requests failed")
        tokens = len(stats["tokens_accepted"])
        print(
            f"\n[figure] OAuth session: {requests} requests in {SESSION_SECONDS:.0f} s, all 200; "
            f"{tokens} access tokens ({ACCESS_TTL} s each) accepted; "
            f"{stats['invalid_token']} refused tokens absorbed by HttpxAuth's retry; "
            f"TokenProvider answered {from_memory} of {requests // 3} from memory"
        )
        if SESSION_SECONDS > 2 * ACCESS_TTL:
            self.assertGreaterEqual(tokens, 2, "the tokens never rotated")

    async def logout(self, resource, sync_client, async_client) -> None:
        self.sandbox.cli("logout", NAME)
        hint = f"mcpcred login {NAME}"
        with self.assertRaises(LoginRequiredError) as raised:
            await asyncio.to_thread(sync_client.get, resource)
        self.assertIn(hint, str(raised.exception))
        with self.assertRaises(LoginRequiredError) as raised:
            await async_client.get(resource)
        self.assertIn(hint, str(raised.exception))
        # The provider answers from memory: the LOGOUT event (or, without
        # one, the revoked token's expiry) takes its credential away.
        self.assertTrue(
            harness.wait_until(lambda: not self.provider.is_fresh(), EVENT_LIMIT),
            "TokenProvider still holds a credential after the logout",
        )
        with self.assertRaises(LoginRequiredError) as raised:
            self.provider.as_headers()
        self.assertIn(hint, str(raised.exception))

    async def login_again(self, resource, async_client, plain) -> None:
        def login() -> list:
            events = []
            with Agent(self.sandbox.socket_path, login_timeout=harness.LOGIN_LIMIT) as agent:
                for event in agent.login(NAME):
                    events.append(event)
                    if isinstance(event, OpenUrl):
                        browser = harness.run_browser(self.sandbox, event.url)
                        self.assertEqual(browser.returncode, 0, browser.stderr[-2000:])
            return events

        events = await asyncio.to_thread(login)
        self.assertEqual([type(event) for event in events], [OpenUrl, LoginDone])
        self.assertTrue(
            harness.wait_until(self.provider.is_fresh, EVENT_LIMIT),
            "the LOGIN event did not reach TokenProvider",
        )
        self.assertEqual((await async_client.get(resource)).status_code, 200)
        response = await plain.get(resource, headers=self.provider_headers())
        self.assertEqual(response.status_code, 200)


if __name__ == "__main__":
    unittest.main()
