"""HttpxAuth retries exactly once after a 401, with a forced refresh.

The server is a small local HTTP server that rejects the first token it sees
(or every token); the credential is a "command" credential whose command
prints a new token on every run, so the number of runs counts the agent's
fetches: the first one, plus one per forced refresh.
"""

import http.server
import threading
import unittest

import httpx

import harness
from mcpcred import HttpxAuth

NAME = "cmd"


class RejectingServer:
    """Answers 401 to the first token it sees (every token with
    reject_all), 200 otherwise; records (token, status, body) per request."""

    def __init__(self, reject_all: bool = False) -> None:
        self.requests: list[tuple[str, int, bytes]] = []
        self._rejected: set[str] = set()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if reject_all or not owner._rejected or token in owner._rejected:
                    owner._rejected.add(token)
                    status = 401
                else:
                    status = 200
                owner.requests.append((token, status, body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # the default logs to stderr
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/mcp"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class HttpxAuthTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.sandbox = harness.Sandbox(self)
        self.addCleanup(self.sandbox.close)
        self.sandbox.write_config(harness.command_credential_toml(self.sandbox, NAME, 3600))
        self.sandbox.start_agent()
        self.auth = HttpxAuth(NAME, socket_path=self.sandbox.socket_path)
        self.addCleanup(self.auth.close)

    def start_server(self, reject_all: bool = False) -> RejectingServer:
        server = RejectingServer(reject_all)
        self.addCleanup(server.close)
        return server

    def check_one_retry(self, server: RejectingServer, final_status: int) -> None:
        """The first call: the rejected token, then one other (one forced
        refresh), the body sent both times."""
        for token, _, _ in server.requests:
            self.sandbox.note_token(token)
        statuses = [status for _, status, _ in server.requests]
        self.assertEqual(statuses, [401, final_status], "not exactly one retry")
        first, second = (token for token, _, _ in server.requests)
        self.assertTrue(first.startswith("cmd-") and second.startswith("cmd-"), "no token sent")
        self.assertTrue(first != second, "the retry sent the rejected token again")
        self.assertEqual({body for _, _, body in server.requests}, {b"payload"})
        self.assertEqual(harness.count_runs(self.sandbox, NAME), 2, "fetches: first + one refresh")

    def test_sync_retry_after_401(self):
        server = self.start_server()
        with httpx.Client(auth=self.auth, timeout=30) as client:
            response = client.post(server.url, content=b"payload")
            self.assertEqual(response.status_code, 200)
            self.check_one_retry(server, 200)
            # The refreshed credential is used from then on, without refreshing.
            self.assertEqual(client.post(server.url, content=b"payload").status_code, 200)
        self.assertEqual(len(server.requests), 3)
        self.assertTrue(server.requests[2][0] == server.requests[1][0], "not the refreshed token")
        self.assertEqual(harness.count_runs(self.sandbox, NAME), 2)

    async def test_async_retry_after_401(self):
        server = self.start_server()
        async with httpx.AsyncClient(auth=self.auth, timeout=30) as client:
            response = await client.post(server.url, content=b"payload")
        self.assertEqual(response.status_code, 200)
        self.check_one_retry(server, 200)

    def test_second_401_reaches_the_caller(self):
        server = self.start_server(reject_all=True)
        with httpx.Client(auth=self.auth, timeout=30) as client:
            response = client.post(server.url, content=b"payload")
        self.assertEqual(response.status_code, 401)
        self.check_one_retry(server, 401)

    async def test_async_second_401_reaches_the_caller(self):
        server = self.start_server(reject_all=True)
        async with httpx.AsyncClient(auth=self.auth, timeout=30) as client:
            response = await client.post(server.url, content=b"payload")
        self.assertEqual(response.status_code, 401)
        self.check_one_retry(server, 401)


if __name__ == "__main__":
    unittest.main()
