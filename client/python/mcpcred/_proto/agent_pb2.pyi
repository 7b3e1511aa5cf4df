# Generated from proto/mcpcred/v1/agent.proto by client/python/scripts/gen_proto.py: do not edit.
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AddSecretRequest(_message.Message):
    __slots__ = ["name", "value"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: bytes
    def __init__(self, name: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...

class AddSecretResponse(_message.Message):
    __slots__ = ["store"]
    STORE_FIELD_NUMBER: _ClassVar[int]
    store: str
    def __init__(self, store: _Optional[str] = ...) -> None: ...

class AgentStatus(_message.Message):
    __slots__ = ["audit_error", "config_path", "credentials", "errors", "extra_socket_path", "locked", "login_required", "min_redact_length", "pid", "plugins", "ready", "requests_served", "socket_path", "store", "store_location", "unredactable", "uptime", "version"]
    AUDIT_ERROR_FIELD_NUMBER: _ClassVar[int]
    CONFIG_PATH_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    EXTRA_SOCKET_PATH_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    LOGIN_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    MIN_REDACT_LENGTH_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    PLUGINS_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_SERVED_FIELD_NUMBER: _ClassVar[int]
    SOCKET_PATH_FIELD_NUMBER: _ClassVar[int]
    STORE_FIELD_NUMBER: _ClassVar[int]
    STORE_LOCATION_FIELD_NUMBER: _ClassVar[int]
    UNREDACTABLE_FIELD_NUMBER: _ClassVar[int]
    UPTIME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    audit_error: str
    config_path: str
    credentials: int
    errors: int
    extra_socket_path: str
    locked: bool
    login_required: int
    min_redact_length: int
    pid: int
    plugins: _containers.RepeatedCompositeFieldContainer[PluginInfo]
    ready: int
    requests_served: int
    socket_path: str
    store: str
    store_location: str
    unredactable: _containers.RepeatedScalarFieldContainer[str]
    uptime: _duration_pb2.Duration
    version: str
    def __init__(self, version: _Optional[str] = ..., uptime: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., pid: _Optional[int] = ..., socket_path: _Optional[str] = ..., config_path: _Optional[str] = ..., plugins: _Optional[_Iterable[_Union[PluginInfo, _Mapping]]] = ..., credentials: _Optional[int] = ..., ready: _Optional[int] = ..., login_required: _Optional[int] = ..., errors: _Optional[int] = ..., requests_served: _Optional[int] = ..., store: _Optional[str] = ..., store_location: _Optional[str] = ..., audit_error: _Optional[str] = ..., unredactable: _Optional[_Iterable[str]] = ..., min_redact_length: _Optional[int] = ..., locked: bool = ..., extra_socket_path: _Optional[str] = ...) -> None: ...

class Credential(_message.Message):
    __slots__ = ["env", "expires_at", "headers", "name", "secret_env_keys", "secret_header_names", "token", "version"]
    class EnvEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class HeadersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ENV_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SECRET_ENV_KEYS_FIELD_NUMBER: _ClassVar[int]
    SECRET_HEADER_NAMES_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    env: _containers.ScalarMap[str, str]
    expires_at: _timestamp_pb2.Timestamp
    headers: _containers.ScalarMap[str, str]
    name: str
    secret_env_keys: _containers.RepeatedScalarFieldContainer[str]
    secret_header_names: _containers.RepeatedScalarFieldContainer[str]
    token: str
    version: int
    def __init__(self, name: _Optional[str] = ..., env: _Optional[_Mapping[str, str]] = ..., headers: _Optional[_Mapping[str, str]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., secret_env_keys: _Optional[_Iterable[str]] = ..., secret_header_names: _Optional[_Iterable[str]] = ..., token: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class CredentialEvent(_message.Message):
    __slots__ = ["credential", "error_code", "error_message", "kind", "name"]
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    ERROR: CredentialEvent.Kind
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_UNSPECIFIED: CredentialEvent.Kind
    LOGIN: CredentialEvent.Kind
    LOGOUT: CredentialEvent.Kind
    NAME_FIELD_NUMBER: _ClassVar[int]
    REFRESHED: CredentialEvent.Kind
    RELOADED: CredentialEvent.Kind
    REMOVED: CredentialEvent.Kind
    SNAPSHOT: CredentialEvent.Kind
    SYNCED: CredentialEvent.Kind
    credential: Credential
    error_code: int
    error_message: str
    kind: CredentialEvent.Kind
    name: str
    def __init__(self, kind: _Optional[_Union[CredentialEvent.Kind, str]] = ..., name: _Optional[str] = ..., credential: _Optional[_Union[Credential, _Mapping]] = ..., error_code: _Optional[int] = ..., error_message: _Optional[str] = ...) -> None: ...

class CredentialInfo(_message.Message):
    __slots__ = ["cached", "expires_at", "has_login", "last_error", "name", "provider", "state", "stored_kinds"]
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    CACHED_FIELD_NUMBER: _ClassVar[int]
    ERROR: CredentialInfo.State
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    HAS_LOGIN_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    LOGIN_REQUIRED: CredentialInfo.State
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    READY: CredentialInfo.State
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATE_UNSPECIFIED: CredentialInfo.State
    STORED_KINDS_FIELD_NUMBER: _ClassVar[int]
    cached: bool
    expires_at: _timestamp_pb2.Timestamp
    has_login: bool
    last_error: str
    name: str
    provider: str
    state: CredentialInfo.State
    stored_kinds: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., provider: _Optional[str] = ..., state: _Optional[_Union[CredentialInfo.State, str]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_error: _Optional[str] = ..., cached: bool = ..., has_login: bool = ..., stored_kinds: _Optional[_Iterable[str]] = ...) -> None: ...

class GetCredentialRequest(_message.Message):
    __slots__ = ["exec_command", "force_refresh", "min_ttl", "name", "rejected_version"]
    EXEC_COMMAND_FIELD_NUMBER: _ClassVar[int]
    FORCE_REFRESH_FIELD_NUMBER: _ClassVar[int]
    MIN_TTL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REJECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    exec_command: str
    force_refresh: bool
    min_ttl: _duration_pb2.Duration
    name: str
    rejected_version: int
    def __init__(self, name: _Optional[str] = ..., min_ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., force_refresh: bool = ..., rejected_version: _Optional[int] = ..., exec_command: _Optional[str] = ...) -> None: ...

class GetRedactionValuesRequest(_message.Message):
    __slots__ = ["exec_command"]
    EXEC_COMMAND_FIELD_NUMBER: _ClassVar[int]
    exec_command: str
    def __init__(self, exec_command: _Optional[str] = ...) -> None: ...

class GetRedactionValuesResponse(_message.Message):
    __slots__ = ["min_length", "values"]
    MIN_LENGTH_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    min_length: int
    values: _containers.RepeatedCompositeFieldContainer[RedactionValue]
    def __init__(self, values: _Optional[_Iterable[_Union[RedactionValue, _Mapping]]] = ..., min_length: _Optional[int] = ...) -> None: ...

class GetSecretKeysRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetSecretKeysResponse(_message.Message):
    __slots__ = ["env_keys", "header_names"]
    ENV_KEYS_FIELD_NUMBER: _ClassVar[int]
    HEADER_NAMES_FIELD_NUMBER: _ClassVar[int]
    env_keys: _containers.RepeatedScalarFieldContainer[str]
    header_names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, env_keys: _Optional[_Iterable[str]] = ..., header_names: _Optional[_Iterable[str]] = ...) -> None: ...

class GetStatusRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListCredentialsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListCredentialsResponse(_message.Message):
    __slots__ = ["credentials", "store", "store_error", "stored"]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    STORED_FIELD_NUMBER: _ClassVar[int]
    STORE_ERROR_FIELD_NUMBER: _ClassVar[int]
    STORE_FIELD_NUMBER: _ClassVar[int]
    credentials: _containers.RepeatedCompositeFieldContainer[CredentialInfo]
    store: str
    store_error: str
    stored: _containers.RepeatedCompositeFieldContainer[StoredEntry]
    def __init__(self, credentials: _Optional[_Iterable[_Union[CredentialInfo, _Mapping]]] = ..., store: _Optional[str] = ..., stored: _Optional[_Iterable[_Union[StoredEntry, _Mapping]]] = ..., store_error: _Optional[str] = ...) -> None: ...

class LockRequest(_message.Message):
    __slots__ = ["passphrase"]
    PASSPHRASE_FIELD_NUMBER: _ClassVar[int]
    passphrase: bytes
    def __init__(self, passphrase: _Optional[bytes] = ...) -> None: ...

class LockResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class LoginEvent(_message.Message):
    __slots__ = ["device_code", "done", "open_url"]
    class DeviceCode(_message.Message):
        __slots__ = ["expires_in", "user_code", "verification_uri", "verification_uri_complete"]
        EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
        USER_CODE_FIELD_NUMBER: _ClassVar[int]
        VERIFICATION_URI_COMPLETE_FIELD_NUMBER: _ClassVar[int]
        VERIFICATION_URI_FIELD_NUMBER: _ClassVar[int]
        expires_in: int
        user_code: str
        verification_uri: str
        verification_uri_complete: str
        def __init__(self, user_code: _Optional[str] = ..., verification_uri: _Optional[str] = ..., verification_uri_complete: _Optional[str] = ..., expires_in: _Optional[int] = ...) -> None: ...
    class Done(_message.Message):
        __slots__ = []
        def __init__(self) -> None: ...
    class OpenUrl(_message.Message):
        __slots__ = ["url"]
        URL_FIELD_NUMBER: _ClassVar[int]
        url: str
        def __init__(self, url: _Optional[str] = ...) -> None: ...
    DEVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    OPEN_URL_FIELD_NUMBER: _ClassVar[int]
    device_code: LoginEvent.DeviceCode
    done: LoginEvent.Done
    open_url: LoginEvent.OpenUrl
    def __init__(self, open_url: _Optional[_Union[LoginEvent.OpenUrl, _Mapping]] = ..., device_code: _Optional[_Union[LoginEvent.DeviceCode, _Mapping]] = ..., done: _Optional[_Union[LoginEvent.Done, _Mapping]] = ...) -> None: ...

class LoginRequest(_message.Message):
    __slots__ = ["device", "name", "scopes"]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    device: bool
    name: str
    scopes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., device: bool = ..., scopes: _Optional[_Iterable[str]] = ...) -> None: ...

class LogoutRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class LogoutResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PluginInfo(_message.Message):
    __slots__ = ["abi_version", "name", "path"]
    ABI_VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    abi_version: int
    name: str
    path: str
    def __init__(self, name: _Optional[str] = ..., path: _Optional[str] = ..., abi_version: _Optional[int] = ...) -> None: ...

class RedactRequest(_message.Message):
    __slots__ = ["text"]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: bytes
    def __init__(self, text: _Optional[bytes] = ...) -> None: ...

class RedactResponse(_message.Message):
    __slots__ = ["replacements", "text"]
    REPLACEMENTS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    replacements: int
    text: bytes
    def __init__(self, text: _Optional[bytes] = ..., replacements: _Optional[int] = ...) -> None: ...

class RedactionValue(_message.Message):
    __slots__ = ["credential", "value"]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    credential: str
    value: str
    def __init__(self, credential: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class ReloadRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ReloadResponse(_message.Message):
    __slots__ = ["credentials", "errors"]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    credentials: int
    errors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, credentials: _Optional[int] = ..., errors: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveSecretRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class RemoveSecretResponse(_message.Message):
    __slots__ = ["store"]
    STORE_FIELD_NUMBER: _ClassVar[int]
    store: str
    def __init__(self, store: _Optional[str] = ...) -> None: ...

class ReportRedactionsRequest(_message.Message):
    __slots__ = ["counts", "source"]
    class CountsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.ScalarMap[str, int]
    source: str
    def __init__(self, source: _Optional[str] = ..., counts: _Optional[_Mapping[str, int]] = ...) -> None: ...

class ReportRedactionsResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class StoredEntry(_message.Message):
    __slots__ = ["credential", "kind", "scope"]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    credential: str
    kind: str
    scope: str
    def __init__(self, credential: _Optional[str] = ..., kind: _Optional[str] = ..., scope: _Optional[str] = ...) -> None: ...

class UnlockRequest(_message.Message):
    __slots__ = ["passphrase"]
    PASSPHRASE_FIELD_NUMBER: _ClassVar[int]
    passphrase: bytes
    def __init__(self, passphrase: _Optional[bytes] = ...) -> None: ...

class UnlockResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class WatchCredentialsRequest(_message.Message):
    __slots__ = ["exec_command", "names"]
    EXEC_COMMAND_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    exec_command: str
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, names: _Optional[_Iterable[str]] = ..., exec_command: _Optional[str] = ...) -> None: ...
