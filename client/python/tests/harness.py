"""Real processes for the tests: a private directory per test, mcpcred-agent,
the mcpcred CLI, the Node OAuth peers of tests/e2e and the scripted browser.

Binaries: $MCPCRED_AGENT_BIN and $MCPCRED_CLI_BIN, defaulting to build/bin in
the repository; node: $MCPCRED_NODE_BIN, else node on PATH.

Secrets never reach test output: the sandbox's secret and every token a test
notes are checked to be absent from the agent's log and the CLI's stderr, and
assertion helpers compare them without printing them.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_ROOT.parent.parent
E2E_DIR = REPO_ROOT / "tests" / "e2e"

# The tests exercise the package in this tree, not an installed copy.
sys.path.insert(0, str(PACKAGE_ROOT))

AGENT_BIN = os.environ.get("MCPCRED_AGENT_BIN", str(REPO_ROOT / "build/bin/mcpcred-agent"))
CLI_BIN = os.environ.get("MCPCRED_CLI_BIN", str(REPO_ROOT / "build/bin/mcpcred"))
NODE_BIN = os.environ.get("MCPCRED_NODE_BIN") or shutil.which("node") or ""

# Safety bounds, never expectations.
START_LIMIT = 30.0
STOP_LIMIT = 30.0
COMMAND_LIMIT = 60.0
LOGIN_LIMIT = 120.0

STATIC_NAME = "demo"


def static_credential_toml(name: str = STATIC_NAME) -> str:
    """The tests' static credential: $DEMO_API_KEY as env and header."""
    return (
        f"[credential.{name}]\n"
        'provider = "static"\n'
        'secret = "env:DEMO_API_KEY"\n'
        'env = { DEMO_API_KEY = "{secret}" }\n'
        'headers = { Authorization = "Bearer {secret}" }\n'
    )


def command_credential_toml(sandbox: Sandbox, name: str, expires_in: int) -> str:
    """A "command" credential whose command prints a new random token on
    every run, valid `expires_in` seconds, and appends a line to
    sandbox.dir/NAME.runs (count_runs() reads it)."""
    script = sandbox.dir / "token.sh"
    if not script.exists():
        script.write_text(
            "#!/bin/sh\n"
            'echo run >> "$1"\n'
            "token=$(/usr/bin/od -An -N16 -tx1 /dev/urandom | /usr/bin/tr -d ' \\n')\n"
            'printf \'{"access_token":"cmd-%s","expires_in":%s}\\n\' "$token" "$2"\n'
        )
        script.chmod(0o700)
    return (
        f"[credential.{name}]\n"
        'provider = "command"\n'
        f'command = ["{script}", "{sandbox.dir / (name + ".runs")}", "{expires_in}"]\n'
        'headers = { Authorization = "Bearer {access_token}" }\n'
    )


def count_runs(sandbox: Sandbox, name: str) -> int:
    """How often the command of command_credential_toml(NAME) ran."""
    path = sandbox.dir / f"{name}.runs"
    return len(path.read_text().splitlines()) if path.exists() else 0


def fingerprint(secret: str) -> str:
    """A short hash to name a secret in messages without showing it."""
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def require_agent_binaries(test: unittest.TestCase) -> None:
    for path, variable in ((AGENT_BIN, "MCPCRED_AGENT_BIN"), (CLI_BIN, "MCPCRED_CLI_BIN")):
        if not os.access(path, os.X_OK):
            test.fail(f"{path} is missing: build it (scripts/build.sh) or set {variable}")


def peers_unavailable_reason() -> str:
    """Why the Node peers cannot run here, or ""."""
    if not NODE_BIN or not os.access(NODE_BIN, os.X_OK):
        return f"node not found ({NODE_BIN or 'not on PATH'}): set MCPCRED_NODE_BIN"
    if not (E2E_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        return f"the peers' Node packages are missing: run `npm ci --prefix {E2E_DIR}`"
    return ""


class LineReader:
    """Reads a pipe's lines on a thread, so that a test can wait for one with
    a deadline."""

    def __init__(self, pipe) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(pipe,), daemon=True)
        self._thread.start()

    def _pump(self, pipe) -> None:
        for raw in iter(pipe.readline, b""):
            self._lines.put(raw.decode(errors="replace").rstrip("\n"))
        self._lines.put(None)

    def readline(self, timeout: float) -> str | None:
        """The next line; None at EOF or when `timeout` passes."""
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return None


def stop_process(process: subprocess.Popen, limit: float = STOP_LIMIT) -> int | None:
    """SIGTERM, then SIGKILL after `limit`; the exit status (None if it had
    to be killed)."""
    if process.poll() is not None:
        return process.returncode
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(limit)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def cancel_after(test: unittest.TestCase, stream, limit: float = COMMAND_LIMIT):
    """Bounds a test's wait on a sync stream: cancels it after `limit`
    seconds, which ends the iteration. Returns the stream."""
    timer = threading.Timer(limit, stream.cancel)
    timer.daemon = True
    timer.start()
    test.addCleanup(timer.cancel)
    return stream


def require_synced(test: unittest.TestCase, cache, limit: float = 20.0) -> None:
    """Fails the test unless `cache`'s Watch stream syncs within `limit` s."""
    if not cache.wait_synced(limit):
        test.fail(
            f"the Watch stream did not sync within {limit} s: {cache.stream_error!r} "
            "(does this mcpcred-agent implement WatchCredentials?)"
        )


def wait_until(condition, limit: float, every: float = 0.02) -> bool:
    """Polls `condition` until it is true or `limit` seconds pass."""
    deadline = time.monotonic() + limit
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(every)


class AgentProcess:
    """One `mcpcred-agent -D --config FILE --socket SOCK`, its output in a
    log file."""

    def __init__(self, sandbox: Sandbox, log_path: pathlib.Path) -> None:
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    AGENT_BIN,
                    "-D",
                    "--config",
                    str(sandbox.config_path),
                    "--socket",
                    str(sandbox.socket_path),
                ],
                env=sandbox.env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int | None:
        return stop_process(self.process)


class Sandbox:
    """A private 0700 directory per test (short, under /tmp: socket paths are
    limited to 107 bytes) with home, config, state and runtime dirs, a random
    static secret ($DEMO_API_KEY) and the processes the test starts. close()
    stops them and checks that no secret leaked into their output."""

    def __init__(self, test: unittest.TestCase) -> None:
        require_agent_binaries(test)
        self._test = test
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="mcpy-", dir="/tmp"))
        for sub in ("home", "config", "state", "run"):
            (self.dir / sub).mkdir(mode=0o700)
        self.socket_path = self.dir / "sock" / "agent.sock"
        self.config_path = self.dir / "config.toml"
        self.secret = "pytest-secret-" + secrets.token_hex(12)
        self.agents: list[AgentProcess] = []
        self.children: list[subprocess.Popen] = []
        self.cli_stderr: list[str] = []
        self._tokens: set[str] = set()

    def env(self, **overrides: str) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.dir / "home"),
            "XDG_CONFIG_HOME": str(self.dir / "config"),
            "XDG_STATE_HOME": str(self.dir / "state"),
            "XDG_RUNTIME_DIR": str(self.dir / "run"),
            "MCPCRED_SOCK": str(self.socket_path),
            "DEMO_API_KEY": self.secret,
        }
        env.update(overrides)
        return env

    def note_token(self, token: str) -> None:
        """Checks `token` for leaks at close()."""
        if len(token) >= 16:
            self._tokens.add(token)

    def hide(self, text: str) -> str:
        for secret in {self.secret, *self._tokens}:
            text = text.replace(secret, f"<secret {fingerprint(secret)}>")
        return text

    def write_config(self, toml: str) -> None:
        self.config_path.write_text('[store]\nbackend = "memory"\n\n' + toml)

    def start_agent(self) -> AgentProcess:
        """Starts an agent and waits until `mcpcred status` answers; fails
        the test if it does not."""
        agent = AgentProcess(self, self.dir / f"agent-{len(self.agents)}.log")
        self.agents.append(agent)

        def serving() -> bool:
            if agent.process.poll() is not None:
                return True
            return self.cli("status", check=False).returncode == 0

        if not wait_until(serving, START_LIMIT, every=0.05) or agent.process.poll() is not None:
            self._test.fail(f"the agent does not serve; its log:\n{self.hide(agent.log())}")
        return agent

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Runs `mcpcred ARGS` (stdout captured: may hold a secret, never
        printed); fails the test on a non-zero exit when `check`."""
        result = subprocess.run(
            [CLI_BIN, *args],
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=COMMAND_LIMIT,
        )
        self.cli_stderr.append(result.stderr)
        if check and result.returncode != 0:
            self._test.fail(
                f"mcpcred {' '.join(args)}: exit {result.returncode}: {self.hide(result.stderr)}"
            )
        return result

    def popen(self, argv: list[str], **kwargs) -> subprocess.Popen:
        """A child killed at close() if it still runs."""
        child = subprocess.Popen(argv, **kwargs)
        self.children.append(child)
        return child

    def close(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.kill()
            child.wait()
        problems = []
        for agent in self.agents:
            status = agent.stop()
            if status != 0 and agent.process.returncode != -signal.SIGKILL:
                problems.append(f"agent {agent.log_path.name} did not stop cleanly: {status}")
        leaks = {self.secret, *self._tokens}
        for agent in self.agents:
            log = agent.log()
            if any(secret in log for secret in leaks):
                problems.append(f"a secret leaked into the agent's log {agent.log_path}")
        if any(secret in err for err in self.cli_stderr for secret in leaks):
            problems.append("a secret leaked into mcpcred's stderr")
        if problems:
            for agent in self.agents:
                print(f"--- {agent.log_path.name}:\n{self.hide(agent.log())}", file=sys.stderr)
        shutil.rmtree(self.dir, ignore_errors=True)
        if problems:
            self._test.fail("; ".join(problems))


class Peers:
    """tests/e2e/peers.mjs: an oidc-provider authorization server and a
    protected resource that checks tokens by introspection. Exits when this
    process dies (--exit-on-stdin-eof)."""

    def __init__(self, sandbox: Sandbox, *args: str) -> None:
        self.log_path = sandbox.dir / "peers.log"
        with open(self.log_path, "wb") as log:
            self.process = sandbox.popen(
                [NODE_BIN, str(E2E_DIR / "peers.mjs"), *args, "--exit-on-stdin-eof"],
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NODE_NO_WARNINGS": "1"},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        line = LineReader(self.process.stdout).readline(60)
        if line is None:
            raise RuntimeError(f"the peers printed no JSON line; log:\n{self.log()}")
        self.info = json.loads(line)
        self.resource: str = self.info["resource"]
        self.resource_test: str = self.info["resource_test"]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def oauth_toml(self, name: str) -> str:
        """An oauth2 credential against the peers' resource, as the C++ e2e
        tests configure it (pre-registered native client)."""
        return (
            f"[credential.{name}]\n"
            'provider = "oauth2"\n'
            f'resource = "{self.resource}"\n'
            'client_id = "mcpcred-native"\n'
            'scopes = ["mcp:read", "offline_access"]\n'
            'headers = { Authorization = "Bearer {access_token}" }\n'
        )


def run_browser(sandbox: Sandbox, url: str) -> subprocess.CompletedProcess:
    """The user's browser approves a login: `browser.mjs authorize URL`."""
    return subprocess.run(
        [NODE_BIN, str(E2E_DIR / "browser.mjs"), "authorize", url, "--quiet"],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NODE_NO_WARNINGS": "1"},
        capture_output=True,
        text=True,
        timeout=COMMAND_LIMIT,
    )


def cli_login(test: unittest.TestCase, sandbox: Sandbox, name: str) -> None:
    """`mcpcred login NAME --json --no-browser`, the browser approving the
    URL of its first event; fails the test unless it ends with "done"."""
    child = sandbox.popen(
        [CLI_BIN, "login", name, "--json", "--no-browser"],
        env=sandbox.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines = LineReader(child.stdout)
    first = lines.readline(COMMAND_LIMIT)
    test.assertIsNotNone(first, "mcpcred login printed nothing")
    event = json.loads(first)
    test.assertEqual(event.get("event"), "open_url", f"first login event: {event.get('event')}")
    browser = run_browser(sandbox, event["url"])
    test.assertEqual(browser.returncode, 0, f"browser.mjs failed: {browser.stderr[-2000:]}")
    last = None
    while (line := lines.readline(LOGIN_LIMIT)) is not None:
        last = json.loads(line)
    status = child.wait(LOGIN_LIMIT)
    stderr = child.stderr.read().decode(errors="replace")
    sandbox.cli_stderr.append(stderr)
    test.assertEqual(
        (status, last and last.get("event")),
        (0, "done"),
        f"mcpcred login {name} did not finish: {sandbox.hide(stderr)}",
    )
