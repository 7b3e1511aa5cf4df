// The wire contract, loaded at run time from the copy of agent.proto shipped
// in this package (proto/mcpcred/v1/agent.proto), and the shapes
// @grpc/proto-loader gives its messages with the options below: field names as
// in the .proto, 64-bit integers as decimal strings, enums as their names,
// defaults filled in, the oneof's case in `event`.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

export interface WireTimestamp {
  seconds: string;
  nanos: number;
}

export interface WireCredential {
  name: string;
  env: Record<string, string>;
  headers: Record<string, string>;
  expires_at: WireTimestamp | null;
  secret_env_keys: string[];
  secret_header_names: string[];
  token: string;
  version: string;
}

export interface WireCredentialEvent {
  kind: string;
  name: string;
  credential: WireCredential | null;
  error_code: number;
  error_message: string;
}

export interface WireCredentialInfo {
  name: string;
  provider: string;
  state: string;
  expires_at: WireTimestamp | null;
  last_error: string;
  cached: boolean;
  has_login: boolean;
  stored_kinds: string[];
}

export interface WireListCredentialsResponse {
  credentials: WireCredentialInfo[];
  store: string;
  stored: { credential: string; kind: string; scope: string }[];
  store_error: string;
}

export interface WireLoginEvent {
  event: 'open_url' | 'device_code' | 'done';
  open_url?: { url: string };
  device_code?: {
    user_code: string;
    verification_uri: string;
    verification_uri_complete: string;
    expires_in: number;
  };
}

/** A request's Duration: whole seconds as a string, the rest in nanos. */
export interface WireDuration {
  seconds: string;
  nanos: number;
}

type Unary<Req, Res> = (
  request: Req,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

/** The generated stub of service mcpcred.v1.Agent (the methods this client uses). */
export interface AgentStub extends grpc.Client {
  GetCredential: Unary<
    { name: string; min_ttl?: WireDuration; force_refresh?: boolean; rejected_version?: string },
    WireCredential
  >;
  ListCredentials: Unary<Record<string, never>, WireListCredentialsResponse>;
  GetSecretKeys: Unary<Record<string, never>, { env_keys: string[]; header_names: string[] }>;
  Redact: Unary<{ text: Buffer }, { text: Buffer; replacements: number }>;
  Logout: Unary<{ name: string }, Record<string, never>>;
  Login(
    request: { name: string; device: boolean },
    options: grpc.CallOptions,
  ): grpc.ClientReadableStream<WireLoginEvent>;
  WatchCredentials(
    request: { names: string[] },
    options: grpc.CallOptions,
  ): grpc.ClientReadableStream<WireCredentialEvent>;
}

type AgentStubConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ChannelOptions,
) => AgentStub;

let definition: protoLoader.PackageDefinition | undefined;
let stubConstructor: AgentStubConstructor | undefined;

// The shipped agent.proto, parsed once per process.
function packageDefinition(): protoLoader.PackageDefinition {
  if (definition === undefined) {
    const protoDir = fileURLToPath(new URL('../proto', import.meta.url));
    definition = protoLoader.loadSync('mcpcred/v1/agent.proto', {
      includeDirs: [protoDir],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
  }
  return definition;
}

/** The stub class of service mcpcred.v1.Agent. */
export function agentStubConstructor(): AgentStubConstructor {
  if (stubConstructor === undefined) {
    const loaded = grpc.loadPackageDefinition(packageDefinition()) as unknown as {
      mcpcred: { v1: { Agent: AgentStubConstructor } };
    };
    stubConstructor = loaded.mcpcred.v1.Agent;
  }
  return stubConstructor;
}

/** How one unary method is called without a stub: its path and its messages' codecs (as the stub's). */
export interface UnaryMethod<Req, Res> {
  path: string;
  serialize(request: Req): Buffer;
  deserialize(response: Buffer): Res;
}

/** Agent.GetCredential as a UnaryMethod. */
export function getCredentialMethod(): UnaryMethod<Parameters<AgentStub['GetCredential']>[0], WireCredential> {
  const method = packageDefinition()['mcpcred.v1.Agent'] as protoLoader.ServiceDefinition;
  const { path, requestSerialize, responseDeserialize } = method.GetCredential!;
  return {
    path,
    serialize: requestSerialize,
    deserialize: responseDeserialize as (response: Buffer) => WireCredential,
  };
}
