// One gRPC unary call over an Http2Connection (the gRPC over HTTP/2
// protocol): request headers with a grpc-timeout, the message in gRPC's
// 5-byte length-prefixed framing, and the answer read from the response
// headers, the message and the trailers (or a trailers-only response).
import type { Http2Connection, StreamHandler } from './connection.js';
import { encodeHeaderBlock } from './hpack-encoder.js';
import type { HeaderField } from './static-table.js';

/** A call that ended with a gRPC status: grpc-status, grpc-message, and the message when OK. */
export interface UnaryAnswer {
  code: number;
  message: string;
  response: Buffer | undefined;
}

/**
 * The call got no gRPC answer: the connection failed or closed, the stream
 * was reset, or the response was not a well-formed gRPC response. The call
 * may be made again another way.
 */
export class TransportFailure extends Error {}

/** The local deadline passed before an answer came. */
export class DeadlineExceeded extends Error {}

const OK = 0;
const MESSAGE_PREFIX_LENGTH = 5;

/** grpc-timeout's value: at most 8 digits and a unit (gRPC over HTTP/2). */
export function grpcTimeout(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1e8) return `${whole}m`;
  if (whole / 1000 < 1e8) return `${Math.ceil(whole / 1000)}S`;
  return `${Math.min(99_999_999, Math.ceil(whole / 3_600_000))}H`;
}

/** grpc-message's value decoded: percent-encoded UTF-8. */
export function decodeGrpcMessage(value: string): string {
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(value.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The request header block of a unary call to `path` (e.g.
 * "/mcpcred.v1.Agent/GetCredential"), all but grpc-timeout, which
 * withTimeout() appends per call.
 */
export function requestHeaderBlock(path: string, authority: string, userAgent: string): Buffer {
  return encodeHeaderBlock([
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', path],
    [':authority', authority],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ['user-agent', userAgent],
  ]);
}

// The last block built per base block: calls usually share one timeout.
const withTimeoutCache = new WeakMap<Buffer, { timeoutMs: number; block: Buffer }>();

function withTimeout(block: Buffer, timeoutMs: number): Buffer {
  const cached = withTimeoutCache.get(block);
  if (cached?.timeoutMs === timeoutMs) return cached.block;
  const full = Buffer.concat([block, encodeHeaderBlock([['grpc-timeout', grpcTimeout(timeoutMs)]])]);
  withTimeoutCache.set(block, { timeoutMs, block: full });
  return full;
}

function lengthPrefixed(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(MESSAGE_PREFIX_LENGTH + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, MESSAGE_PREFIX_LENGTH);
  return framed;
}

// Collects one response; resolves with the answer once the stream ends.
class UnaryResponse implements StreamHandler {
  #headers: HeaderField[] | undefined;
  #trailers: HeaderField[] | undefined;
  readonly #data: Buffer[] = [];
  readonly #resolve: (answer: UnaryAnswer) => void;
  readonly #reject: (error: Error) => void;

  constructor(resolve: (answer: UnaryAnswer) => void, reject: (error: Error) => void) {
    this.#resolve = resolve;
    this.#reject = reject;
  }

  onHeaders(fields: HeaderField[]): void {
    if (this.#headers === undefined) this.#headers = fields;
    else this.#trailers = fields;
  }

  onData(data: Buffer): void {
    this.#data.push(data);
  }

  onEnd(): void {
    try {
      this.#resolve(this.#answer());
    } catch (error) {
      this.#reject(error as Error);
    }
  }

  onReset(code: number): void {
    this.#reject(new TransportFailure(`the agent reset the stream (HTTP/2 error ${code})`));
  }

  onFailure(error: Error): void {
    this.#reject(new TransportFailure(error.message, { cause: error }));
  }

  #answer(): UnaryAnswer {
    const headers = this.#headers;
    if (headers === undefined) throw new TransportFailure('the response ended without headers');
    const status = field(headers, ':status');
    if (status !== '200') throw new TransportFailure(`the response has HTTP status ${status}`);
    if (!field(headers, 'content-type')?.startsWith('application/grpc')) {
      throw new TransportFailure('the response is not application/grpc');
    }
    // A trailers-only response carries grpc-status in its only header block.
    const trailers = this.#trailers ?? headers;
    const codeText = field(trailers, 'grpc-status');
    if (codeText === undefined || !/^\d+$/.test(codeText)) throw new TransportFailure('the response has no grpc-status');
    const code = Number(codeText);
    const message = decodeGrpcMessage(field(trailers, 'grpc-message') ?? '');
    if (code !== OK) return { code, message, response: undefined };
    return { code, message, response: this.#message() };
  }

  // The one message of an OK response, from its length-prefixed framing.
  #message(): Buffer {
    const data = this.#data.length === 1 ? this.#data[0] : Buffer.concat(this.#data);
    if (data.length < MESSAGE_PREFIX_LENGTH) throw new TransportFailure('an OK response without a message');
    if (data[0] !== 0) throw new TransportFailure('the response message is compressed');
    const length = data.readUInt32BE(1);
    if (data.length !== MESSAGE_PREFIX_LENGTH + length) {
      throw new TransportFailure('the response does not hold exactly one message');
    }
    return data.subarray(MESSAGE_PREFIX_LENGTH);
  }
}

function field(fields: HeaderField[], name: string): string | undefined {
  for (const [fieldName, value] of fields) if (fieldName === name) return value;
  return undefined;
}

/**
 * Calls a unary method: `headerBlock` from requestHeaderBlock(), `request`
 * the serialized request message. Resolves with the gRPC answer; rejects
 * with TransportFailure when there is none, or DeadlineExceeded when
 * `timeoutMs` passes first (the stream is then cancelled).
 */
export function unaryCall(
  connection: Http2Connection,
  headerBlock: Buffer,
  request: Uint8Array,
  timeoutMs: number,
): Promise<UnaryAnswer> {
  return new Promise<UnaryAnswer>((resolve, reject) => {
    const timer = setTimeout(() => {
      handle.cancel();
      reject(new DeadlineExceeded(`Deadline exceeded after ${(timeoutMs / 1000).toFixed(3)}s`));
    }, timeoutMs);
    const handler = new UnaryResponse(
      (answer) => {
        clearTimeout(timer);
        resolve(answer);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
    const handle = connection.request(withTimeout(headerBlock, timeoutMs), lengthPrefixed(request), handler);
  });
}
