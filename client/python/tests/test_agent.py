"""Agent and AsyncAgent against a real mcpcred-agent: every call, the raw
Watch stream, and the typed errors (unknown credential, no agent, login
needed)."""

import asyncio
import signal
import threading
import time
import unittest
from pathlib import Path
from unittest import mock

import harness
import grpc

from mcpcred import (
    Agent,
    AgentUnavailableError,
    AsyncAgent,
    EventKind,
    LoginRequiredError,
    McpcredError,
    NotFoundError,
)

# An oauth2 credential nobody logged in to, with explicit endpoints (no
# discovery): GetCredential answers FAILED_PRECONDITION without contacting
# the (absent) server.
NEEDS_LOGIN_TOML = (
    "[credential.remote]\n"
    'provider = "oauth2"\n'
    'issuer = "http://127.0.0.1:9"\n'
    'authorization_endpoint = "http://127.0.0.1:9/auth"\n'
    'token_endpoint = "http://127.0.0.1:9/token"\n'
    'client_id = "mcpcred-native"\n'
    'scopes = ["mcp:read"]\n'
    'headers = { Authorization = "Bearer {access_token}" }\n'
)


class AgentTestBase(unittest.TestCase):
    def setUp(self):
        self.sandbox = harness.Sandbox(self)
        self.addCleanup(self.sandbox.close)
        self.sandbox.write_config(harness.static_credential_toml() + "\n" + NEEDS_LOGIN_TOML)
        self.sandbox.start_agent()
        self.agent = Agent(self.sandbox.socket_path)
        self.addCleanup(self.agent.close)

    def assert_secret(self, actual: str, what: str):
        """`actual` is the sandbox's secret (never printed)."""
        self.assertTrue(actual == self.sandbox.secret, f"{what} is not the configured secret")


class AgentTest(AgentTestBase):
    def test_get_credential(self):
        credential = self.agent.get_credential(harness.STATIC_NAME)
        self.assertEqual(credential.name, harness.STATIC_NAME)
        self.assert_secret(credential.token, "token")
        self.assert_secret(credential.env["DEMO_API_KEY"], "env DEMO_API_KEY")
        self.assertTrue(
            credential.headers["Authorization"] == "Bearer " + self.sandbox.secret,
            "the Authorization header is not Bearer <secret>",
        )
        self.assertEqual(credential.secret_env_keys, ("DEMO_API_KEY",))
        self.assertEqual(credential.secret_header_names, ("Authorization",))
        self.assertIsNone(credential.expires_at)
        self.assertGreater(credential.version, 0)
        self.assertNotIn(self.sandbox.secret, repr(credential))
        again = self.agent.get_credential(harness.STATIC_NAME, min_ttl=30)
        self.assertGreaterEqual(again.version, credential.version)

    def test_socket_from_environment(self):
        with mock.patch.dict("os.environ", {"MCPCRED_SOCK": str(self.sandbox.socket_path)}):
            with Agent() as agent:
                self.assertEqual(agent.socket_path, str(self.sandbox.socket_path))
                credential = agent.get_credential(harness.STATIC_NAME)
                self.assertEqual(credential.name, harness.STATIC_NAME)

    def test_secret_keys_redact_and_list(self):
        keys = self.agent.secret_keys()
        self.assertIn("DEMO_API_KEY", keys.env_keys)
        self.assertIn("Authorization", keys.header_names)
        # Redact knows the secrets the agent has handed out.
        self.agent.get_credential(harness.STATIC_NAME)
        text = f"key={self.sandbox.secret} end"
        redacted = self.agent.redact(text)
        self.assertIsInstance(redacted, str)
        self.assertNotIn(self.sandbox.secret, redacted)
        self.assertIn("[REDACTED:demo]", redacted)
        self.assertEqual(self.agent.redact(text.encode()), redacted.encode())
        infos = {info.name: info for info in self.agent.list_credentials()}
        self.assertEqual(infos[harness.STATIC_NAME].provider, "static")
        self.assertEqual(infos[harness.STATIC_NAME].state, "ready")
        self.assertEqual(infos["remote"].provider, "oauth2")
        self.assertTrue(infos["remote"].has_login)

    def test_login_and_logout_errors(self):
        with self.assertRaises(LoginRequiredError):
            list(harness.cancel_after(self, self.agent.login(harness.STATIC_NAME)))
        with self.assertRaises(NotFoundError):
            self.agent.logout("nope")

    def test_watch_stream(self):
        with harness.cancel_after(self, self.agent.watch([harness.STATIC_NAME])) as stream:
            first = next(stream)
            self.assertEqual((first.kind, first.name), (EventKind.SNAPSHOT, harness.STATIC_NAME))
            self.assertIsNone(first.error)
            synced = next(stream)
            self.assertEqual((synced.kind, synced.name), (EventKind.SYNCED, ""))
        # Leaving the block cancelled the call: iteration just stops.
        self.assertEqual(list(stream), [])

    def test_watch_unknown_name(self):
        with self.assertRaises(NotFoundError):
            list(harness.cancel_after(self, self.agent.watch(["nope"])))


class TypedErrorTest(AgentTestBase):
    def test_unknown_credential(self):
        with self.assertRaises(NotFoundError) as raised:
            self.agent.get_credential("nope")
        self.assertIn("nope", str(raised.exception))

    def test_login_required(self):
        with self.assertRaises(LoginRequiredError) as raised:
            self.agent.get_credential("remote")
        self.assertIn("mcpcred login remote", str(raised.exception))

    def test_no_agent(self):
        missing = self.sandbox.dir / "run" / "none.sock"
        with Agent(missing) as agent:
            with self.assertRaises(AgentUnavailableError) as raised:
                agent.get_credential(harness.STATIC_NAME)
        message = str(raised.exception)
        self.assertIn(str(missing), message)
        self.assertIn("eval \"$(mcpcred-agent -s)\"", message)
        self.assertIn("systemctl --user start mcpcred-agent.socket", message)
        self.assertEqual(raised.exception.socket_path, str(missing))

    def test_hung_agent_meets_the_deadline(self):
        # A SIGSTOPped agent keeps its socket but answers nothing: the call
        # must end with its deadline, not wait for ever.
        with Agent(self.sandbox.socket_path, timeout=0.3) as agent:
            agent.get_credential(harness.STATIC_NAME)  # connected
            freeze(self, self.sandbox.agents[0].process)
            outcome = []

            def call():
                try:
                    agent.get_credential(harness.STATIC_NAME)
                except McpcredError as error:
                    outcome.append(error)

            caller = threading.Thread(target=call, daemon=True)
            caller.start()
            caller.join(harness.COMMAND_LIMIT)
            self.assertFalse(caller.is_alive(), "the call did not end with its deadline")
        self.assertEqual([error.code for error in outcome], [grpc.StatusCode.DEADLINE_EXCEEDED])

    def test_agent_stopped(self):
        self.sandbox.agents[0].stop()
        with self.assertRaises(AgentUnavailableError):
            self.agent.get_credential(harness.STATIC_NAME)


def freeze(test: unittest.TestCase, process) -> None:
    """Stops `process` (SIGSTOP) until the test's cleanup.

    Returns once every thread of it is stopped: the signal is delivered
    asynchronously, and a call made before that could still be answered.
    """
    process.send_signal(signal.SIGSTOP)
    test.addCleanup(process.send_signal, signal.SIGCONT)
    tasks = Path(f"/proc/{process.pid}/task")
    deadline = time.monotonic() + harness.COMMAND_LIMIT
    while time.monotonic() < deadline:
        states = []
        for task in tasks.iterdir():
            try:
                # The state follows the command name, which is in parentheses.
                states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
            except (FileNotFoundError, IndexError):
                continue
        if states and all(state in ("T", "t") for state in states):
            return
        time.sleep(0.005)
    test.fail(f"pid {process.pid} did not stop on SIGSTOP")


async def drain(events, limit: float = harness.COMMAND_LIMIT) -> None:
    """Iterates an async stream to its end, for at most `limit` seconds."""

    async def consume():
        async for _ in events:
            pass

    await asyncio.wait_for(consume(), limit)


class AsyncAgentTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.sandbox = harness.Sandbox(self)
        self.addCleanup(self.sandbox.close)
        self.sandbox.write_config(harness.static_credential_toml() + "\n" + NEEDS_LOGIN_TOML)
        self.sandbox.start_agent()

    async def test_calls_and_errors(self):
        async with AsyncAgent(self.sandbox.socket_path) as agent:
            credential = await agent.get_credential(harness.STATIC_NAME)
            self.assertTrue(credential.token == self.sandbox.secret, "not the configured secret")
            self.assertIn("DEMO_API_KEY", (await agent.secret_keys()).env_keys)
            redacted = await agent.redact(f"x {self.sandbox.secret} y")
            self.assertEqual(redacted, "x [REDACTED:demo] y")
            names = [info.name for info in await agent.list_credentials()]
            self.assertIn(harness.STATIC_NAME, names)
            with self.assertRaises(NotFoundError):
                await agent.get_credential("nope")
            with self.assertRaises(LoginRequiredError) as raised:
                await agent.get_credential("remote")
            self.assertIn("mcpcred login remote", str(raised.exception))
            with self.assertRaises(LoginRequiredError):
                await drain(agent.login(harness.STATIC_NAME))
            with self.assertRaises(NotFoundError):
                await agent.logout("nope")

    async def test_watch_stream(self):
        async with AsyncAgent(self.sandbox.socket_path) as agent:
            async with agent.watch([harness.STATIC_NAME]) as stream:
                kinds = []

                async def until_synced():
                    async for event in stream:
                        kinds.append(event.kind)
                        if event.kind == EventKind.SYNCED:
                            return

                await asyncio.wait_for(until_synced(), harness.COMMAND_LIMIT)
            self.assertEqual(kinds, [EventKind.SNAPSHOT, EventKind.SYNCED])
            # A cancelled stream ends without an error.
            self.assertEqual([event async for event in stream], [])
            with self.assertRaises(NotFoundError):
                await drain(agent.watch(["nope"]))

    async def test_hung_agent_meets_the_deadline(self):
        async with AsyncAgent(self.sandbox.socket_path, timeout=0.3) as agent:
            await agent.get_credential(harness.STATIC_NAME)  # connected
            freeze(self, self.sandbox.agents[0].process)
            with self.assertRaises(McpcredError) as raised:
                await asyncio.wait_for(
                    agent.get_credential(harness.STATIC_NAME), harness.COMMAND_LIMIT
                )
        self.assertEqual(raised.exception.code, grpc.StatusCode.DEADLINE_EXCEEDED)

    async def test_no_agent(self):
        async with AsyncAgent(self.sandbox.dir / "run" / "none.sock") as agent:
            with self.assertRaises(AgentUnavailableError) as raised:
                await asyncio.wait_for(agent.get_credential(harness.STATIC_NAME), 30)
        self.assertIn("mcpcred-agent -s", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
