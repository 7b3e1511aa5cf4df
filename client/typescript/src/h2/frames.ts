// HTTP/2 framing (RFC 9113 section 4 and 6): the frame types and flags this
// client uses, encoding a frame, and FrameReader, which cuts a byte stream
// into frames however the socket splits it and strips DATA and HEADERS
// padding (and HEADERS priority fields).

export const FrameType = Object.freeze({
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const);

export const Flag = Object.freeze({
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const);

/** HTTP/2 error codes (section 7). */
export const ErrorCode = Object.freeze({
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const);

export const Setting = Object.freeze({
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const);

/** What a client sends first (section 3.4), before its SETTINGS. */
export const CONNECTION_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
export const FRAME_HEADER_LENGTH = 9;
export const DEFAULT_MAX_FRAME_SIZE = 16_384;

/** A connection error: the connection ends with GOAWAY carrying `code`. */
export class Http2Error extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  /** The payload, without padding and (HEADERS) priority fields. */
  payload: Buffer;
  /** The payload's length on the wire, padding included (what flow control counts). */
  length: number;
}

/** The bytes of one frame. */
export function encodeFrame(type: number, flags: number, streamId: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + payload.length);
  writeFrameHeader(frame, 0, payload.length, type, flags, streamId);
  frame.set(payload, FRAME_HEADER_LENGTH);
  return frame;
}

/** Writes a frame header at `offset` of `target`. */
export function writeFrameHeader(
  target: Buffer,
  offset: number,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): void {
  target.writeUIntBE(length, offset, 3);
  target[offset + 3] = type;
  target[offset + 4] = flags;
  target.writeUInt32BE(streamId & 0x7fffffff, offset + 5);
}

/** Cuts received bytes into frames. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);
  /** The largest payload accepted (our SETTINGS_MAX_FRAME_SIZE). */
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE;

  /**
   * Adds received bytes; returns the frames they complete, in order. Throws
   * Http2Error for a frame larger than maxFrameSize or with bad padding.
   */
  push(chunk: Buffer): Frame[] {
    const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Frame[] = [];
    let pos = 0;
    while (data.length - pos >= FRAME_HEADER_LENGTH) {
      const length = data.readUIntBE(pos, 3);
      if (length > this.maxFrameSize) {
        throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, `a frame of ${length} bytes exceeds ${this.maxFrameSize}`);
      }
      if (data.length - pos < FRAME_HEADER_LENGTH + length) break;
      const type = data[pos + 3];
      const flags = data[pos + 4];
      const streamId = data.readUInt32BE(pos + 5) & 0x7fffffff;
      const start = pos + FRAME_HEADER_LENGTH;
      frames.push({ type, flags, streamId, payload: unpad(type, flags, data.subarray(start, start + length)), length });
      pos = start + length;
    }
    // Keep the rest in a buffer of its own, so the frames handed out above
    // never alias memory the next push writes.
    this.#pending = pos === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(pos));
    return frames;
  }
}

// DATA and HEADERS may be padded; HEADERS may carry priority fields first.
function unpad(type: number, flags: number, payload: Buffer): Buffer {
  if (type !== FrameType.DATA && type !== FrameType.HEADERS) return payload;
  let start = 0;
  let end = payload.length;
  if (flags & Flag.PADDED) {
    if (payload.length < 1) throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, 'a padded frame without its pad length');
    const padLength = payload[0];
    start = 1;
    end -= padLength;
  }
  if (type === FrameType.HEADERS && flags & Flag.PRIORITY) start += 5;
  if (end < start) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'a frame whose padding exceeds its payload');
  return payload.subarray(start, end);
}
