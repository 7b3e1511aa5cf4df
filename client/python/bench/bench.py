#!/usr/bin/python3
"""Latency of the Python client: TokenProvider.as_headers() (from memory) and
get_credential round trips to a real agent (sync and asyncio), next to the
generated gRPC stub's own round trip (the floor the client is measured against).

    /usr/bin/python3 client/python/bench/bench.py [--calls N] [--round-trips N]

Starts its own mcpcred-agent ($MCPCRED_AGENT_BIN, default build/bin) on a
private socket with one static credential, unless --socket names a running
agent and --credential one of its credentials. Each call is timed alone
(time.perf_counter_ns, so the figures include the timer's own ~0.1 us).
Prints p50, p90 and p99 per measurement; never a secret.
"""

import argparse
import asyncio
import os
import pathlib
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_ROOT.parent.parent
sys.path.insert(0, str(PACKAGE_ROOT))

import grpc  # noqa: E402
import grpc.aio  # noqa: E402

from mcpcred import Agent, AsyncAgent, TokenProvider  # noqa: E402
from mcpcred._proto import agent_pb2, agent_pb2_grpc  # noqa: E402

AGENT_BIN = os.environ.get("MCPCRED_AGENT_BIN", str(REPO_ROOT / "build/bin/mcpcred-agent"))


def percentiles(samples_ns: list[int]) -> str:
    ordered = sorted(samples_ns)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] / 1000

    return f"p50 {at(0.50):8.2f} us   p90 {at(0.90):8.2f} us   p99 {at(0.99):8.2f} us"


def time_calls(call, count: int) -> list[int]:
    samples = []
    for _ in range(count):
        start = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - start)
    return samples


async def time_async_calls(call, count: int) -> list[int]:
    samples = []
    for _ in range(count):
        start = time.perf_counter_ns()
        await call()
        samples.append(time.perf_counter_ns() - start)
    return samples


class PrivateAgent:
    """An agent in a temporary directory serving credential "bench"."""

    def __init__(self) -> None:
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="mcpy-bench-", dir="/tmp"))
        self.socket_path = self.dir / "agent.sock"
        config = self.dir / "config.toml"
        config.write_text(
            '[store]\nbackend = "memory"\n\n'
            "[credential.bench]\n"
            'provider = "static"\n'
            'secret = "env:BENCH_SECRET"\n'
            'env = { BENCH_TOKEN = "{secret}" }\n'
            'headers = { Authorization = "Bearer {secret}" }\n'
        )
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.dir),
            "XDG_CONFIG_HOME": str(self.dir),
            "XDG_STATE_HOME": str(self.dir),
            "XDG_RUNTIME_DIR": str(self.dir),
            "BENCH_SECRET": secrets.token_hex(20),
        }
        self.log = open(self.dir / "agent.log", "wb")
        self.process = subprocess.Popen(
            [AGENT_BIN, "-D", "--config", str(config), "--socket", str(self.socket_path)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        with Agent(self.socket_path) as agent:
            while True:
                try:
                    agent.get_credential("bench")
                    return
                except Exception:
                    if time.monotonic() > deadline or self.process.poll() is not None:
                        self.close()
                        raise RuntimeError("the agent did not start; see its log") from None
                    time.sleep(0.05)

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def run(socket_path: str, name: str, calls: int, round_trips: int) -> None:
    with TokenProvider(name, socket_path=socket_path) as provider:
        provider.as_headers()
        deadline = time.monotonic() + 30
        while not provider.is_fresh():
            if time.monotonic() > deadline:
                raise RuntimeError("the provider never held the credential in memory")
            time.sleep(0.01)
        time_calls(provider.as_headers, calls // 10)  # warm-up
        samples = time_calls(provider.as_headers, calls)
        print(f"TokenProvider.as_headers()      {percentiles(samples)}   ({calls} calls)")

    # The floor: the generated stub on a default channel, with a prepared
    # request, a deadline (as the C++ client sets one) and no conversion.
    request = agent_pb2.GetCredentialRequest(name=name)
    with grpc.insecure_channel(f"unix:{socket_path}") as channel:
        stub = agent_pb2_grpc.AgentStub(channel)
        call = lambda: stub.GetCredential(request, timeout=10)  # noqa: E731
        time_calls(call, round_trips // 10)
        samples = time_calls(call, round_trips)
        print(f"raw stub GetCredential          {percentiles(samples)}   ({round_trips} calls)")

    with Agent(socket_path) as agent:
        call = lambda: agent.get_credential(name)  # noqa: E731
        time_calls(call, round_trips // 10)
        samples = time_calls(call, round_trips)
        print(f"Agent.get_credential()          {percentiles(samples)}   ({round_trips} calls)")

    async def async_raw_round_trips() -> list[int]:
        async with grpc.aio.insecure_channel(f"unix:{socket_path}") as channel:
            stub = agent_pb2_grpc.AgentStub(channel)
            call = lambda: stub.GetCredential(request, timeout=10)  # noqa: E731
            await time_async_calls(call, round_trips // 10)
            return await time_async_calls(call, round_trips)

    samples = asyncio.run(async_raw_round_trips())
    print(f"raw aio stub GetCredential      {percentiles(samples)}   ({round_trips} calls)")

    async def async_round_trips() -> list[int]:
        async with AsyncAgent(socket_path) as agent:
            call = lambda: agent.get_credential(name)  # noqa: E731
            await time_async_calls(call, round_trips // 10)
            return await time_async_calls(call, round_trips)

    samples = asyncio.run(async_round_trips())
    print(f"AsyncAgent.get_credential()     {percentiles(samples)}   ({round_trips} calls)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000, help="as_headers() calls")
    parser.add_argument("--round-trips", type=int, default=5_000, help="get_credential calls")
    parser.add_argument("--socket", help="a running agent's socket (default: start one)")
    parser.add_argument("--credential", default="bench", help="with --socket: which credential")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if args.socket:
        run(args.socket, args.credential, args.calls, args.round_trips)
        return 0
    agent = PrivateAgent()
    try:
        run(str(agent.socket_path), "bench", args.calls, args.round_trips)
    finally:
        agent.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
