"""Errors of the mcpcred client: one class per kind a caller acts on.

Every error carries the gRPC status code the agent answered with (`.code`)
and the agent's one-line message (`str(error)`), which says what to do, e.g.
"credential \"demo\" needs a login: run 'mcpcred login demo'". Messages never
hold a secret: the agent never puts one in them.
"""

from __future__ import annotations

import errno
import socket

import grpc

__all__ = [
    "AgentUnavailableError",
    "LoginRequiredError",
    "McpcredError",
    "NotFoundError",
    "PermissionDeniedError",
]


class McpcredError(Exception):
    """Any failure of a call to the agent.

    `code` is a grpc.StatusCode; the subclasses below name the kinds a caller
    acts on, any other code (INVALID_ARGUMENT for a config mistake,
    UNAVAILABLE when the credential's upstream is down, ...) is this class.
    """

    def __init__(self, message: str, code: grpc.StatusCode) -> None:
        super().__init__(message)
        self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.name}: {str(self)!r})"

    def copy(self) -> McpcredError:
        """A new error of the same class, code and message: for raising a
        remembered error again without growing its traceback."""
        clone = McpcredError.__new__(type(self))
        McpcredError.__init__(clone, str(self), self.code)
        return clone


class LoginRequiredError(McpcredError):
    """FAILED_PRECONDITION: the credential needs something first, usually a
    login ("run 'mcpcred login NAME'"), or a secret that is missing."""


class NotFoundError(McpcredError):
    """NOT_FOUND: no credential has that name (or a reload removed it)."""


class PermissionDeniedError(McpcredError):
    """PERMISSION_DENIED: the agent refuses this process (another uid, or a
    policy that does not grant this credential)."""


class AgentUnavailableError(McpcredError):
    """No agent answers on the socket (code UNAVAILABLE). The message says how
    to start one. `socket_path` is where the client looked ("" when no path
    could be found)."""

    def __init__(self, message: str, socket_path: str = "") -> None:
        super().__init__(message, grpc.StatusCode.UNAVAILABLE)
        self.socket_path = socket_path

    @classmethod
    def at(cls, socket_path: str) -> AgentUnavailableError:
        return cls(
            f"no mcpcred agent answers on {socket_path}: start one with "
            "'eval \"$(mcpcred-agent -s)\"' or "
            "'systemctl --user start mcpcred-agent.socket'",
            socket_path,
        )

    def copy(self) -> AgentUnavailableError:
        return AgentUnavailableError(str(self), self.socket_path)


_BY_CODE = {
    grpc.StatusCode.FAILED_PRECONDITION: LoginRequiredError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
}

# google.rpc.Code numbers (as in CredentialEvent.error_code) to StatusCode.
_CODE_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


def error_for(code: grpc.StatusCode, message: str) -> McpcredError:
    """The error class for `code` (McpcredError when no subclass names it)."""
    return _BY_CODE.get(code, McpcredError)(message, code)


def error_for_number(number: int, message: str) -> McpcredError:
    """error_for() with a google.rpc.Code number; UNKNOWN for numbers gRPC
    does not know."""
    return error_for(_CODE_BY_NUMBER.get(number, grpc.StatusCode.UNKNOWN), message)


def from_rpc_error(error: grpc.RpcError, socket_path: str) -> McpcredError:
    """The typed error for a failed call on `socket_path`.

    UNAVAILABLE means either that nothing listens on the socket (then
    AgentUnavailableError, saying how to start an agent) or that the agent
    answered it (the credential's upstream is down): the socket is probed to
    tell them apart, as the C++ client does.
    """
    code = error.code()
    message = error.details() or code.name
    if code == grpc.StatusCode.UNAVAILABLE and nothing_listens_on(socket_path):
        return AgentUnavailableError.at(socket_path)
    return error_for(code, message)


def nothing_listens_on(socket_path: str) -> bool:
    """True if connecting to the Unix socket fails because nothing is there
    (no such file, or a stale socket nobody listens on). Other failures (e.g.
    permission denied) are False: starting an agent would not fix them."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Non-blocking: a live agent with a full backlog answers EAGAIN instead
    # of making the probe wait.
    probe.setblocking(False)
    try:
        result = probe.connect_ex(socket_path)
    except (OSError, ValueError):
        return False
    finally:
        probe.close()
    return result in (errno.ENOENT, errno.ECONNREFUSED, errno.ENOTDIR)
