// The client of mcpcred-agent: one gRPC channel to its Unix socket, one method
// per RPC. Errors are typed (errors.ts) and keep the agent's one-line message;
// when nothing listens on the socket they become AgentUnavailableError, which
// says how to start an agent. GetCredential, the call a host makes per
// request, takes a shorter way: a small gRPC client of its own on one HTTP/2
// connection (./h2), which falls back to the channel when it gets no answer.
import * as grpc from '@grpc/grpc-js';

import { AgentUnavailableError, Code, McpcredError, errorFromStatus } from './errors.js';
import { UnaryChannel } from './h2/channel.js';
import { DeadlineExceeded, TransportFailure, requestHeaderBlock } from './h2/grpc-unary.js';
import { nothingListensOn, resolveSocketPath } from './socket.js';
import {
  toCredential,
  toCredentialEvent,
  toCredentialList,
  toLoginEvent,
  type Credential,
  type CredentialEvent,
  type CredentialList,
  type LoginEvent,
  type Redaction,
  type SecretKeys,
} from './types.js';
import {
  agentStubConstructor,
  getCredentialMethod,
  type AgentStub,
  type UnaryMethod,
  type WireCredential,
  type WireDuration,
} from './wire.js';

type GetCredentialRequest = Parameters<AgentStub['GetCredential']>[0];

// The authority and user agent of the HTTP/2 fast path's requests.
const AUTHORITY = 'localhost';
const USER_AGENT = 'mcpcred-client-node';

export interface ClientOptions {
  /** The agent's socket; default $MCPCRED_SOCK, else $XDG_RUNTIME_DIR/mcpcred/agent.sock. */
  socket?: string;
  /** Deadline of each unary call, in ms (default 10 000). */
  timeoutMs?: number;
  /**
   * Deadline of a whole login, in ms (default 15 minutes): a person acts in a
   * browser meanwhile, and device codes usually expire after 15 minutes.
   */
  loginTimeoutMs?: number;
}

export interface GetCredentialOptions {
  /** The credential must stay valid at least this long; a token closer to expiry is refreshed first. */
  minTtlSeconds?: number;
  /** The server rejected the credential held (HTTP 401): fetch a new one now. */
  forceRefresh?: boolean;
  /**
   * With forceRefresh: the `version` of the rejected credential. When the agent
   * already holds a newer one it returns that one without another refresh.
   */
  rejectedVersion?: bigint;
}

export interface StreamOptions {
  /** Ends the stream: the iteration then throws a CANCELLED McpcredError. */
  signal?: AbortSignal;
}

export interface LoginOptions extends StreamOptions {
  /** Prefer the device authorization grant (headless machines). */
  device?: boolean;
}

function toDuration(seconds: number): WireDuration {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new McpcredError(Code.INVALID_ARGUMENT, `minTtlSeconds must be a finite number >= 0, not ${seconds}`);
  }
  const whole = Math.floor(seconds);
  return { seconds: String(whole), nanos: Math.round((seconds - whole) * 1e9) };
}

// A response that does not parse is an INTERNAL error, as grpc-js reports it.
function deserialize<Res>(method: UnaryMethod<unknown, Res>, response: Buffer): Res {
  try {
    return method.deserialize(response);
  } catch (error) {
    throw new McpcredError(Code.INTERNAL, `Response message parsing error: ${(error as Error).message}`, { cause: error });
  }
}

// What grpc-js says for a status without a message, e.g. "5 NOT_FOUND: ".
function statusText(code: number): string {
  const name = Object.entries(Code).find(([, value]) => value === code)?.[0] ?? 'UNKNOWN';
  return `${code} ${name}: `;
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as grpc.ServiceError).code === 'number';
}

export class AgentClient {
  /** The socket this client talks to. */
  readonly socket: string;
  readonly #stub: AgentStub;
  readonly #timeoutMs: number;
  readonly #loginTimeoutMs: number;
  readonly #fast: UnaryChannel;
  readonly #getCredential: UnaryMethod<GetCredentialRequest, WireCredential>;
  readonly #getCredentialHeaders: Buffer;
  #closed = false;

  /**
   * Resolves the socket path and prepares the channel; connects on the first
   * call. Throws AgentUnavailableError when no socket path can be found. See
   * connect() for a client that checks an agent listens first.
   */
  constructor(options: ClientOptions = {}) {
    this.socket = resolveSocketPath(options.socket);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#loginTimeoutMs = options.loginTimeoutMs ?? 15 * 60_000;
    const Stub = agentStubConstructor();
    this.#stub = new Stub(`unix:${this.socket}`, grpc.credentials.createInsecure(), {
      // gRPC's default reconnect backoff grows to two minutes; a long-lived
      // host must find a restarted agent within a second, and the socket is local.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
    this.#fast = new UnaryChannel(this.socket);
    this.#getCredential = getCredentialMethod();
    this.#getCredentialHeaders = requestHeaderBlock(this.#getCredential.path, AUTHORITY, USER_AGENT);
  }

  /** The credential, fetched or refreshed by the agent as needed. */
  async getCredential(name: string, options: GetCredentialOptions = {}): Promise<Credential> {
    const request: GetCredentialRequest = { name };
    if (options.minTtlSeconds) request.min_ttl = toDuration(options.minTtlSeconds);
    if (options.forceRefresh) {
      request.force_refresh = true;
      request.rejected_version = String(options.rejectedVersion ?? 0n);
    }
    return toCredential(await this.#fastGetCredential(request));
  }

  /**
   * Streams the state of the named credentials (none: all, including those a
   * reload adds): one 'snapshot' per credential, then 'synced', then one event
   * per change. Ends when the agent closes the stream (e.g. on shutdown);
   * throws a typed error when it fails (NotFoundError for an unknown name,
   * AgentUnavailableError when no agent answers). Breaking out of the loop
   * ends the call.
   */
  async *watch(names: readonly string[] = [], options: StreamOptions = {}): AsyncGenerator<CredentialEvent> {
    for await (const message of this.#stream(this.#stub.WatchCredentials, { names: [...names] }, {}, options)) {
      const event = toCredentialEvent(message);
      if (event) yield event;
    }
  }

  /** Runs a login: 'open_url' or 'device_code' for the user, then 'done'. Throws when it fails. */
  async *login(name: string, options: LoginOptions = {}): AsyncGenerator<LoginEvent> {
    const deadline = new Date(Date.now() + this.#loginTimeoutMs);
    const request = { name, device: options.device ?? false };
    for await (const message of this.#stream(this.#stub.Login, request, { deadline }, options)) {
      const event = toLoginEvent(message);
      if (event) yield event;
    }
  }

  /** Revokes and forgets the credential's tokens: it needs a login again. */
  async logout(name: string): Promise<void> {
    await this.#unary(this.#stub.Logout, { name });
  }

  async listCredentials(): Promise<CredentialList> {
    return toCredentialList(await this.#unary(this.#stub.ListCredentials, {}));
  }

  /** Every env key and header name any configured credential fills: strip them from subagents. */
  async secretKeys(): Promise<SecretKeys> {
    const response = await this.#unary(this.#stub.GetSecretKeys, {});
    return { envKeys: response.env_keys, headerNames: response.header_names };
  }

  /** `text` with every secret value the agent holds replaced by [REDACTED:<credential>]. */
  async redact(text: string): Promise<Redaction> {
    const response = await this.#unary(this.#stub.Redact, { text: Buffer.from(text, 'utf8') });
    return { text: response.text.toString('utf8'), replacements: response.replacements };
  }

  /** Closes the channel; calls in flight fail with CANCELLED. */
  close(): void {
    this.#closed = true;
    this.#fast.close();
    this.#stub.close();
  }

  // GetCredential on the HTTP/2 fast path; through the gRPC channel when that
  // path gets no answer (no connection, a reset stream, a response it does
  // not take), so its failures look exactly like the channel's.
  async #fastGetCredential(request: GetCredentialRequest): Promise<WireCredential> {
    if (this.#fast.available) {
      const method = this.#getCredential;
      try {
        const answer = await this.#fast.call(this.#getCredentialHeaders, method.serialize(request), this.#timeoutMs);
        if (answer.response !== undefined) return deserialize(method, answer.response);
        throw errorFromStatus(answer.code, answer.message || statusText(answer.code));
      } catch (error) {
        if (error instanceof DeadlineExceeded) throw new McpcredError(Code.DEADLINE_EXCEEDED, error.message);
        if (!(error instanceof TransportFailure)) throw error;
        // close() ended the call: the channel is closed too.
        if (this.#closed) throw new McpcredError(Code.CANCELLED, 'the client was closed during the call');
      }
    }
    return this.#unary(this.#stub.GetCredential, request);
  }

  #unary<Req, Res>(
    method: (
      request: Req,
      options: grpc.CallOptions,
      callback: (error: grpc.ServiceError | null, response?: Res) => void,
    ) => grpc.ClientUnaryCall,
    request: Req,
  ): Promise<Res> {
    const deadline = new Date(Date.now() + this.#timeoutMs);
    return new Promise<Res>((resolve, reject) => {
      method.call(this.#stub, request, { deadline }, (error, response) => {
        if (error) this.#toError(error).then(reject, reject);
        else resolve(response as Res);
      });
    });
  }

  async *#stream<Req, Msg>(
    method: (request: Req, options: grpc.CallOptions) => grpc.ClientReadableStream<Msg>,
    request: Req,
    callOptions: grpc.CallOptions,
    options: StreamOptions,
  ): AsyncGenerator<Msg> {
    if (options.signal?.aborted) throw new McpcredError(Code.CANCELLED, 'cancelled before the call started');
    const call = method.call(this.#stub, request, callOptions);
    // The iteration below reports errors; this listener keeps one that
    // arrives after the loop ended (e.g. CANCELLED) from being unhandled.
    call.on('error', () => {});
    const cancel = () => call.cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      for await (const message of call as AsyncIterable<Msg>) yield message;
    } catch (error) {
      throw await this.#toError(error);
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      call.cancel();
    }
  }

  // UNAVAILABLE is also what the agent answers when an upstream is down, so
  // only a failed connection to the socket itself becomes AgentUnavailableError.
  async #toError(error: unknown): Promise<McpcredError> {
    if (error instanceof McpcredError) return error;
    if (!isServiceError(error)) {
      return new McpcredError(Code.UNKNOWN, error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
    if (error.code === grpc.status.UNAVAILABLE && (await nothingListensOn(this.socket))) {
      return new AgentUnavailableError(this.socket, undefined, { cause: error });
    }
    return errorFromStatus(error.code, error.details || error.message, { cause: error });
  }
}

/**
 * A client of the agent on `options.socket` (default as for AgentClient).
 * Throws AgentUnavailableError when no agent listens there.
 */
export async function connect(options: ClientOptions = {}): Promise<AgentClient> {
  const client = new AgentClient(options);
  if (await nothingListensOn(client.socket)) {
    client.close();
    throw new AgentUnavailableError(client.socket);
  }
  return client;
}
