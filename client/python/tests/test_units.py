"""In-process tests: socket discovery, error mapping, conversions. No agent."""

import dataclasses
import datetime
import os
import socket
import tempfile
import unittest
from unittest import mock

import grpc

import harness  # noqa: F401  (puts the package on sys.path)
from mcpcred import _requests
from mcpcred._proto import agent_pb2
from mcpcred._socket import resolve_socket_path
from mcpcred.errors import (
    AgentUnavailableError,
    LoginRequiredError,
    McpcredError,
    NotFoundError,
    PermissionDeniedError,
    error_for_number,
    nothing_listens_on,
)
from mcpcred.types import Credential, EventKind, credential_from_proto, event_from_proto


class SocketDiscoveryTest(unittest.TestCase):
    def test_argument_wins(self):
        with mock.patch.dict(os.environ, {"MCPCRED_SOCK": "/env.sock", "XDG_RUNTIME_DIR": "/run"}):
            self.assertEqual(resolve_socket_path("/arg.sock"), "/arg.sock")

    def test_mcpcred_sock_before_runtime_dir(self):
        with mock.patch.dict(os.environ, {"MCPCRED_SOCK": "/env.sock", "XDG_RUNTIME_DIR": "/run"}):
            self.assertEqual(resolve_socket_path(), "/env.sock")

    def test_runtime_dir(self):
        with mock.patch.dict(os.environ, {"XDG_RUNTIME_DIR": "/run/user/7"}):
            os.environ.pop("MCPCRED_SOCK", None)
            self.assertEqual(resolve_socket_path(), "/run/user/7/mcpcred/agent.sock")

    def test_nothing_set_is_agent_unavailable(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaises(AgentUnavailableError) as raised:
                resolve_socket_path()
        self.assertIn("MCPCRED_SOCK", str(raised.exception))
        self.assertEqual(raised.exception.code, grpc.StatusCode.UNAVAILABLE)

    def test_nothing_listens_on(self):
        with tempfile.TemporaryDirectory(dir="/tmp") as directory:
            path = os.path.join(directory, "s.sock")
            self.assertTrue(nothing_listens_on(path), "no file")
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(path)
            self.assertTrue(nothing_listens_on(path), "bound, not listening")
            server.listen()
            self.assertFalse(nothing_listens_on(path), "listening")
            server.close()


class ErrorTest(unittest.TestCase):
    def test_codes_map_to_kinds(self):
        self.assertIsInstance(error_for_number(9, "m"), LoginRequiredError)
        self.assertIsInstance(error_for_number(5, "m"), NotFoundError)
        self.assertIsInstance(error_for_number(7, "m"), PermissionDeniedError)
        other = error_for_number(3, "bad config")
        self.assertIs(type(other), McpcredError)
        self.assertEqual(other.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(str(other), "bad config")
        self.assertEqual(error_for_number(999, "m").code, grpc.StatusCode.UNKNOWN)

    def test_copy_keeps_kind_and_message(self):
        error = error_for_number(9, "run 'mcpcred login x'")
        copy = error.copy()
        self.assertIsNot(copy, error)
        self.assertIs(type(copy), LoginRequiredError)
        self.assertEqual((copy.code, str(copy)), (error.code, str(error)))
        unavailable = AgentUnavailableError.at("/s.sock").copy()
        self.assertEqual(unavailable.socket_path, "/s.sock")
        self.assertIn("mcpcred-agent -s", str(unavailable))


class ConversionTest(unittest.TestCase):
    def test_credential_repr_hides_values(self):
        message = agent_pb2.Credential(
            name="n", token="tok-SECRET", env={"K": "SECRET"}, headers={"H": "SECRET"}, version=3
        )
        message.expires_at.FromDatetime(datetime.datetime(2030, 1, 1))
        credential = credential_from_proto(message)
        self.assertNotIn("SECRET", repr(credential))
        self.assertIn("'K'", repr(credential))
        self.assertEqual(credential.version, 3)
        self.assertEqual(
            credential.expires_at, datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
        )

    def test_credential_is_a_plain_frozen_dataclass(self):
        message = agent_pb2.Credential(
            name="n",
            token="t",
            env={"A": "1", "B": "2"},
            headers={"H": "v"},
            secret_env_keys=["A"],
            secret_header_names=["H"],
            version=4,
        )
        credential = credential_from_proto(message)
        built = Credential(
            name="n",
            token="t",
            env={"A": "1", "B": "2"},
            headers={"H": "v"},
            expires_at=None,
            secret_env_keys=("A",),
            secret_header_names=("H",),
            version=4,
        )
        self.assertEqual(credential, built)
        self.assertEqual(dataclasses.asdict(credential), dataclasses.asdict(built))
        self.assertIs(type(credential.env), dict)
        self.assertIs(type(credential.headers), dict)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            credential.token = "other"
        self.assertEqual(dataclasses.replace(credential, version=5).version, 5)
        self.assertEqual(credential.deadline, float("inf"))

    def test_event_without_credential_carries_the_error(self):
        event = event_from_proto(
            agent_pb2.CredentialEvent(
                kind=agent_pb2.CredentialEvent.LOGOUT, name="n", error_code=9, error_message="m"
            )
        )
        self.assertEqual(event.kind, EventKind.LOGOUT)
        self.assertIsNone(event.credential)
        self.assertIsInstance(event.error, LoginRequiredError)

    def test_unknown_event_kind(self):
        event = event_from_proto(agent_pb2.CredentialEvent(kind=42, name="n"))
        self.assertEqual(event.kind, EventKind.UNSPECIFIED)
        self.assertIsNone(event.error)

    def test_event_kinds_match_the_proto(self):
        for kind in EventKind:
            proto_name = "KIND_UNSPECIFIED" if kind is EventKind.UNSPECIFIED else kind.name
            self.assertEqual(agent_pb2.CredentialEvent.Kind.Value(proto_name), kind.value)

    def test_min_ttl_becomes_a_duration(self):
        request = _requests.get_credential("n", 2.5, True, 7)
        self.assertEqual((request.min_ttl.seconds, request.min_ttl.nanos), (2, 500_000_000))
        self.assertEqual((request.force_refresh, request.rejected_version), (True, 7))
        self.assertFalse(_requests.get_credential("n", 0, False, 0).HasField("min_ttl"))
        with self.assertRaises(ValueError):
            _requests.get_credential("n", -1, False, 0)

    def test_watch_refuses_a_bare_string(self):
        with self.assertRaises(TypeError):
            _requests.watch("demo")


class SerializedRequestsTest(unittest.TestCase):
    def test_default_arguments_are_serialized_once_per_name(self):
        requests = _requests.SerializedRequests()
        first = requests.get_credential("n", 0, False, 0)
        self.assertEqual(first, _requests.get_credential("n", 0, False, 0).SerializeToString())
        self.assertIs(requests.get_credential("n", 0, False, 0), first)
        self.assertNotEqual(requests.get_credential("m", 0, False, 0), first)

    def test_other_arguments_are_serialized_each_time(self):
        requests = _requests.SerializedRequests()
        request = agent_pb2.GetCredentialRequest.FromString(
            requests.get_credential("n", 2.5, True, 7)
        )
        self.assertEqual(request, _requests.get_credential("n", 2.5, True, 7))
        self.assertEqual(
            agent_pb2.GetCredentialRequest.FromString(requests.get_credential("n", 0, False, 0)),
            agent_pb2.GetCredentialRequest(name="n"),
        )

    def test_bad_arguments_are_refused_as_before(self):
        requests = _requests.SerializedRequests()
        with self.assertRaises(ValueError):
            requests.get_credential("n", -1, False, 0)
        with self.assertRaises(ValueError):
            requests.get_credential("n", 0, False, -1)

    def test_kept_names_are_bounded(self):
        requests = _requests.SerializedRequests()
        for number in range(3 * requests._KEPT):
            requests.get_credential(f"n{number}", 0, False, 0)
        self.assertLessEqual(len(requests._plain), requests._KEPT)


if __name__ == "__main__":
    unittest.main()
