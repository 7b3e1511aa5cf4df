// One HTTP/2 client connection (RFC 9113) on a Unix socket, for short
// request/response streams: the preface and SETTINGS exchange, PING answers,
// flow control both ways (WINDOW_UPDATE), header blocks split over
// CONTINUATION, RST_STREAM, GOAWAY, and many streams at once. It never
// reconnects: once closed (socket closed, GOAWAY, protocol error) it fails the
// streams it still has and callers open a new one.
import { connect, type Socket } from 'node:net';

import {
  CONNECTION_PREFACE,
  DEFAULT_MAX_FRAME_SIZE,
  ErrorCode,
  FRAME_HEADER_LENGTH,
  Flag,
  FrameReader,
  FrameType,
  Http2Error,
  Setting,
  encodeFrame,
  writeFrameHeader,
  type Frame,
} from './frames.js';
import { HpackDecoder, HpackError } from './hpack-decoder.js';
import type { HeaderField } from './static-table.js';

/** What a stream's owner hears. Exactly one of onEnd, onReset, onFailure ends it. */
export interface StreamHandler {
  /** A complete header block (response headers, then trailers). */
  onHeaders(fields: HeaderField[]): void;
  onData(data: Buffer): void;
  /** The peer ended the stream (END_STREAM). */
  onEnd(): void;
  /** The peer reset the stream (RST_STREAM) with this HTTP/2 error code. */
  onReset(code: number): void;
  /**
   * The connection ended before the stream did. `retryable`: the peer never
   * processed the stream (GOAWAY below its id, or it was never sent).
   */
  onFailure(error: Error, retryable: boolean): void;
}

const MAX_WINDOW = 2 ** 31 - 1;
const DEFAULT_WINDOW = 65_535;
// What this client lets the peer send before it must wait for a WINDOW_UPDATE,
// per stream and for the connection; a WINDOW_UPDATE goes out once half is used.
const RECEIVE_WINDOW = 1 << 24;
const MAX_STREAM_ID = 2 ** 31 - 1;
const READ_BUFFER_SIZE = 64 * 1024;
// A header block larger than this (HEADERS plus CONTINUATION) ends the
// connection rather than growing without bound.
const MAX_HEADER_BLOCK = 1 << 20;

interface Stream {
  id: number;
  handler: StreamHandler;
  /** Request bytes not sent yet (flow control), and whether END_STREAM follows them. */
  pending: Buffer;
  sendWindow: number;
  unacknowledged: number;
}

interface QueuedRequest {
  headerBlock: Buffer;
  body: Buffer;
  handler: StreamHandler;
  /** 0 until sent. */
  streamId: number;
  cancelled: boolean;
}

/** A request this connection has not sent yet, or a sent one's stream. */
export interface RequestHandle {
  /** Abandons the request: RST_STREAM(CANCEL) if it was sent. No handler call follows. */
  cancel(): void;
}

export class Http2Connection {
  readonly #socket: Socket;
  readonly #reader = new FrameReader();
  readonly #decoder = new HpackDecoder();
  readonly #streams = new Map<number, Stream>();
  readonly #queue: QueuedRequest[] = [];
  #nextStreamId = 1;
  #closed = false;
  #goingAway = false;
  #established = false;
  #peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  #peerInitialWindow = DEFAULT_WINDOW;
  #peerMaxStreams = Infinity;
  #sendWindow = DEFAULT_WINDOW;
  #unacknowledged = 0;
  // A header block in progress: its stream and the fragments so far.
  #continuation: { streamId: number; endStream: boolean; fragments: Buffer[]; size: number } | undefined;
  readonly #onClose: (error: Error) => void;

  /**
   * Connects to the Unix socket `path` and sends the preface and SETTINGS at
   * once (requests may follow before the peer's SETTINGS arrive). `onClose`
   * runs once when the connection can take no more requests.
   */
  constructor(path: string, onClose: (error: Error) => void = () => {}) {
    this.#onClose = onClose;
    // Reads land in one reused buffer, without the stream machinery of
    // 'data' events; whatever outlives a read (DATA payloads, header block
    // fragments, a partial frame) is copied out of it.
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_SIZE);
    this.#socket = connect({
      path,
      onread: {
        buffer: readBuffer,
        callback: (length) => {
          this.#receive(readBuffer.subarray(0, length));
          return true;
        },
      },
    });
    const settings = Buffer.alloc(12);
    settings.writeUInt16BE(Setting.ENABLE_PUSH, 0);
    settings.writeUInt32BE(0, 2);
    settings.writeUInt16BE(Setting.INITIAL_WINDOW_SIZE, 6);
    settings.writeUInt32BE(RECEIVE_WINDOW, 8);
    const windowUpdate = Buffer.alloc(4);
    windowUpdate.writeUInt32BE(RECEIVE_WINDOW - DEFAULT_WINDOW);
    this.#socket.write(
      Buffer.concat([
        CONNECTION_PREFACE,
        encodeFrame(FrameType.SETTINGS, 0, 0, settings),
        encodeFrame(FrameType.WINDOW_UPDATE, 0, 0, windowUpdate),
      ]),
    );
    // Like a grpc-js channel, an idle connection does not keep the process alive.
    this.#socket.unref();
    this.#socket.on('error', (error) => this.#fail(error));
    this.#socket.on('close', () => this.#fail(new Error('the socket closed')));
  }

  /** False once the connection takes no new requests (closed, or the peer sent GOAWAY). */
  get usable(): boolean {
    return !this.#closed && !this.#goingAway && this.#nextStreamId <= MAX_STREAM_ID;
  }

  /** True once the peer's SETTINGS arrived: an HTTP/2 server answers on the socket. */
  get established(): boolean {
    return this.#established;
  }

  /** Streams open or waiting for the peer's stream limit. */
  get activeStreams(): number {
    return this.#streams.size + this.#queue.length;
  }

  /**
   * Sends a request: `headerBlock` (HPACK-encoded) then `body`, ending the
   * stream. The handler hears the response. On a connection that is not
   * usable the handler's onFailure runs (retryable) before this returns.
   */
  request(headerBlock: Buffer, body: Buffer, handler: StreamHandler): RequestHandle {
    const queued: QueuedRequest = { headerBlock, body, handler, streamId: 0, cancelled: false };
    const handle: RequestHandle = {
      cancel: () => {
        if (queued.cancelled) return;
        queued.cancelled = true;
        if (queued.streamId === 0) {
          const index = this.#queue.indexOf(queued);
          if (index >= 0) this.#queue.splice(index, 1);
        } else if (this.#streams.delete(queued.streamId) && !this.#closed) {
          this.#sendResetStream(queued.streamId, ErrorCode.CANCEL);
          this.#streamClosed();
        }
      },
    };
    if (!this.usable) {
      handler.onFailure(new Error('the HTTP/2 connection is closed'), true);
    } else if (this.#streams.size >= this.#peerMaxStreams) {
      // Sent when a stream ends.
      this.#queue.push(queued);
    } else {
      this.#start(queued);
    }
    return handle;
  }

  /** Closes the connection; streams still open hear onFailure (not retryable). */
  close(error: Error = new Error('the HTTP/2 connection was closed')): void {
    if (this.#closed) return;
    this.#sendGoaway(ErrorCode.NO_ERROR);
    this.#fail(error);
  }

  #start(queued: QueuedRequest): void {
    const id = this.#nextStreamId;
    queued.streamId = id;
    this.#nextStreamId += 2;
    // Out of stream ids: the connection closes once its streams are done.
    if (this.#nextStreamId > MAX_STREAM_ID) this.#goingAway = true;
    const stream: Stream = {
      id,
      handler: queued.handler,
      pending: queued.body,
      sendWindow: this.#peerInitialWindow,
      unacknowledged: 0,
    };
    if (this.#streams.size === 0) this.#socket.ref();
    this.#streams.set(id, stream);
    const block = queued.headerBlock;
    const body = stream.pending;
    if (block.length <= this.#peerMaxFrameSize && this.#fitsWindows(stream, body.length)) {
      // The usual request: HEADERS and one DATA frame in one buffer, one write.
      const out = Buffer.allocUnsafe(2 * FRAME_HEADER_LENGTH + block.length + body.length);
      writeFrameHeader(out, 0, block.length, FrameType.HEADERS, Flag.END_HEADERS, id);
      block.copy(out, FRAME_HEADER_LENGTH);
      const data = FRAME_HEADER_LENGTH + block.length;
      writeFrameHeader(out, data, body.length, FrameType.DATA, Flag.END_STREAM, id);
      body.copy(out, data + FRAME_HEADER_LENGTH);
      this.#sendWindow -= body.length;
      stream.sendWindow -= body.length;
      stream.pending = body.subarray(body.length);
      this.#socket.write(out);
      return;
    }
    // The header block, split into HEADERS and CONTINUATION frames as the
    // peer's frame size requires; the body as flow control allows.
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < block.length || offset === 0; offset += this.#peerMaxFrameSize) {
      const end = Math.min(block.length, offset + this.#peerMaxFrameSize);
      const type = offset === 0 ? FrameType.HEADERS : FrameType.CONTINUATION;
      const last = end === block.length;
      const flags = (last ? Flag.END_HEADERS : 0) | (type === FrameType.HEADERS && body.length === 0 ? Flag.END_STREAM : 0);
      chunks.push(encodeFrame(type, flags, id, block.subarray(offset, end)));
      if (last) break;
    }
    if (body.length === 0) {
      this.#socket.write(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    } else {
      this.#flushData(stream, chunks);
    }
  }

  #fitsWindows(stream: Stream, length: number): boolean {
    return length > 0 && length <= this.#peerMaxFrameSize && length <= this.#sendWindow && length <= stream.sendWindow;
  }

  // Sends as much of the stream's pending body as flow control allows, after
  // `prefix` (frames to send first, in the same write).
  #flushData(stream: Stream, prefix: Buffer[] = []): void {
    const out = prefix;
    while (stream.pending.length > 0) {
      const size = Math.min(stream.pending.length, this.#sendWindow, stream.sendWindow, this.#peerMaxFrameSize);
      if (size <= 0) break;
      const last = size === stream.pending.length;
      const frame = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + size);
      writeFrameHeader(frame, 0, size, FrameType.DATA, last ? Flag.END_STREAM : 0, stream.id);
      stream.pending.copy(frame, FRAME_HEADER_LENGTH, 0, size);
      out.push(frame);
      stream.pending = stream.pending.subarray(size);
      this.#sendWindow -= size;
      stream.sendWindow -= size;
    }
    if (out.length > 0) this.#socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    try {
      for (const frame of this.#reader.push(chunk)) {
        this.#handle(frame);
        if (this.#closed) return;
      }
    } catch (error) {
      const code = error instanceof Http2Error ? error.code : error instanceof HpackError ? ErrorCode.COMPRESSION_ERROR : ErrorCode.INTERNAL_ERROR;
      this.#sendGoaway(code);
      this.#fail(error as Error);
    }
  }

  #handle(frame: Frame): void {
    if (this.#continuation && frame.type !== FrameType.CONTINUATION) {
      throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'a header block was interrupted by another frame');
    }
    switch (frame.type) {
      case FrameType.HEADERS:
        return this.#onHeaders(frame);
      case FrameType.CONTINUATION:
        return this.#onContinuation(frame);
      case FrameType.DATA:
        return this.#onData(frame);
      case FrameType.SETTINGS:
        return this.#onSettings(frame);
      case FrameType.PING:
        return this.#onPing(frame);
      case FrameType.WINDOW_UPDATE:
        return this.#onWindowUpdate(frame);
      case FrameType.RST_STREAM:
        return this.#onResetStream(frame);
      case FrameType.GOAWAY:
        return this.#onGoaway(frame);
      case FrameType.PUSH_PROMISE:
        throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'a PUSH_PROMISE although push is disabled');
      default:
        // PRIORITY and unknown types are ignored (section 5.5).
        return;
    }
  }

  #onHeaders(frame: Frame): void {
    if (frame.streamId === 0) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'HEADERS on stream 0');
    const endStream = (frame.flags & Flag.END_STREAM) !== 0;
    if (frame.flags & Flag.END_HEADERS) {
      this.#headerBlock(frame.streamId, frame.payload, endStream);
    } else {
      const fragment = Buffer.from(frame.payload);
      this.#continuation = { streamId: frame.streamId, endStream, fragments: [fragment], size: fragment.length };
    }
  }

  #onContinuation(frame: Frame): void {
    const continuation = this.#continuation;
    if (!continuation || continuation.streamId !== frame.streamId) {
      throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'a CONTINUATION without a header block to continue');
    }
    continuation.fragments.push(Buffer.from(frame.payload));
    continuation.size += frame.payload.length;
    if (continuation.size > MAX_HEADER_BLOCK) {
      throw new Http2Error(ErrorCode.ENHANCE_YOUR_CALM, `a header block larger than ${MAX_HEADER_BLOCK} bytes`);
    }
    if (frame.flags & Flag.END_HEADERS) {
      this.#continuation = undefined;
      this.#headerBlock(continuation.streamId, Buffer.concat(continuation.fragments), continuation.endStream);
    }
  }

  // Every block is decoded, even for a stream already gone: the HPACK table is the connection's.
  #headerBlock(streamId: number, block: Buffer, endStream: boolean): void {
    const fields = this.#decoder.decode(block);
    const stream = this.#streams.get(streamId);
    if (!stream) return;
    stream.handler.onHeaders(fields);
    if (endStream) this.#end(stream);
  }

  #onData(frame: Frame): void {
    if (frame.streamId === 0) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'DATA on stream 0');
    this.#unacknowledged += frame.length;
    if (this.#unacknowledged >= RECEIVE_WINDOW / 2) {
      this.#sendWindowUpdate(0, this.#unacknowledged);
      this.#unacknowledged = 0;
    }
    const stream = this.#streams.get(frame.streamId);
    if (!stream) return;
    if (frame.payload.length > 0) stream.handler.onData(Buffer.from(frame.payload));
    if (frame.flags & Flag.END_STREAM) {
      this.#end(stream);
      return;
    }
    stream.unacknowledged += frame.length;
    if (stream.unacknowledged >= RECEIVE_WINDOW / 2) {
      this.#sendWindowUpdate(stream.id, stream.unacknowledged);
      stream.unacknowledged = 0;
    }
  }

  #end(stream: Stream): void {
    // A response may end before its request was sent in full: stop sending it.
    if (stream.pending.length > 0) this.#sendResetStream(stream.id, ErrorCode.NO_ERROR);
    this.#streams.delete(stream.id);
    stream.handler.onEnd();
    this.#streamClosed();
  }

  #streamClosed(): void {
    if (this.#streams.size === 0 && this.#queue.length === 0) this.#socket.unref();
    while (this.#queue.length > 0 && this.#streams.size < this.#peerMaxStreams && this.usable) {
      const queued = this.#queue.shift()!;
      if (!queued.cancelled) this.#start(queued);
    }
    if (this.#goingAway && this.#streams.size === 0) this.#fail(new Error('the agent closed the HTTP/2 connection (GOAWAY)'));
  }

  #onSettings(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'SETTINGS on a stream');
    if (frame.flags & Flag.ACK) {
      if (frame.payload.length !== 0) throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, 'a SETTINGS ACK with a payload');
      return;
    }
    if (frame.payload.length % 6 !== 0) throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, 'a SETTINGS frame of bad length');
    this.#established = true;
    for (let offset = 0; offset < frame.payload.length; offset += 6) {
      const id = frame.payload.readUInt16BE(offset);
      const value = frame.payload.readUInt32BE(offset + 2);
      switch (id) {
        case Setting.INITIAL_WINDOW_SIZE: {
          if (value > MAX_WINDOW) throw new Http2Error(ErrorCode.FLOW_CONTROL_ERROR, 'SETTINGS_INITIAL_WINDOW_SIZE too large');
          const delta = value - this.#peerInitialWindow;
          this.#peerInitialWindow = value;
          for (const stream of this.#streams.values()) stream.sendWindow += delta;
          break;
        }
        case Setting.MAX_FRAME_SIZE:
          if (value < DEFAULT_MAX_FRAME_SIZE || value > 2 ** 24 - 1) {
            throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'SETTINGS_MAX_FRAME_SIZE out of range');
          }
          this.#peerMaxFrameSize = value;
          break;
        case Setting.MAX_CONCURRENT_STREAMS:
          this.#peerMaxStreams = value;
          break;
        case Setting.ENABLE_PUSH:
          if (value > 1) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'SETTINGS_ENABLE_PUSH not 0 or 1');
          break;
        default:
          // HEADER_TABLE_SIZE: this encoder never indexes; others need nothing.
          break;
      }
    }
    this.#socket.write(encodeFrame(FrameType.SETTINGS, Flag.ACK, 0));
    this.#flushAll();
    this.#streamClosed();
  }

  #onPing(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'PING on a stream');
    if (frame.payload.length !== 8) throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, 'a PING not 8 bytes long');
    if (!(frame.flags & Flag.ACK)) this.#socket.write(encodeFrame(FrameType.PING, Flag.ACK, 0, frame.payload));
  }

  #onWindowUpdate(frame: Frame): void {
    if (frame.payload.length !== 4) throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, 'a WINDOW_UPDATE not 4 bytes long');
    const increment = frame.payload.readUInt32BE(0) & 0x7fffffff;
    if (frame.streamId === 0) {
      if (increment === 0) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'a WINDOW_UPDATE of 0');
      this.#sendWindow += increment;
      if (this.#sendWindow > MAX_WINDOW) throw new Http2Error(ErrorCode.FLOW_CONTROL_ERROR, 'the send window overflowed');
      this.#flushAll();
      return;
    }
    const stream = this.#streams.get(frame.streamId);
    if (!stream) return;
    if (increment === 0 || stream.sendWindow + increment > MAX_WINDOW) {
      // A stream error: this stream ends, the connection goes on.
      this.#streams.delete(stream.id);
      this.#sendResetStream(stream.id, increment === 0 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.FLOW_CONTROL_ERROR);
      stream.handler.onReset(ErrorCode.PROTOCOL_ERROR);
      this.#streamClosed();
      return;
    }
    stream.sendWindow += increment;
    this.#flushData(stream);
  }

  #flushAll(): void {
    for (const stream of this.#streams.values()) if (stream.pending.length > 0) this.#flushData(stream);
  }

  #onResetStream(frame: Frame): void {
    if (frame.streamId === 0) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'RST_STREAM on stream 0');
    if (frame.payload.length !== 4) throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, 'a RST_STREAM not 4 bytes long');
    const stream = this.#streams.get(frame.streamId);
    if (!stream) return;
    this.#streams.delete(stream.id);
    stream.handler.onReset(frame.payload.readUInt32BE(0));
    this.#streamClosed();
  }

  // Streams above the last one the peer processed were never processed: they
  // may be retried. The others finish; the connection closes when none is left.
  #onGoaway(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2Error(ErrorCode.PROTOCOL_ERROR, 'GOAWAY on a stream');
    if (frame.payload.length < 8) throw new Http2Error(ErrorCode.FRAME_SIZE_ERROR, 'a GOAWAY shorter than 8 bytes');
    const lastStreamId = frame.payload.readUInt32BE(0) & 0x7fffffff;
    const code = frame.payload.readUInt32BE(4);
    const wasUsable = this.usable;
    this.#goingAway = true;
    if (wasUsable) this.#onClose(new Error(`the agent sent GOAWAY (HTTP/2 error ${code})`));
    const error = new Error(`the agent sent GOAWAY (HTTP/2 error ${code}) before answering`);
    for (const stream of [...this.#streams.values()]) {
      if (stream.id > lastStreamId) {
        this.#streams.delete(stream.id);
        stream.handler.onFailure(error, true);
      }
    }
    for (const queued of this.#queue.splice(0)) if (!queued.cancelled) queued.handler.onFailure(error, true);
    this.#streamClosed();
  }

  #sendResetStream(streamId: number, code: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(code);
    this.#socket.write(encodeFrame(FrameType.RST_STREAM, 0, streamId, payload));
  }

  #sendWindowUpdate(streamId: number, increment: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(increment);
    this.#socket.write(encodeFrame(FrameType.WINDOW_UPDATE, 0, streamId, payload));
  }

  #sendGoaway(code: number): void {
    if (this.#closed || this.#socket.destroyed) return;
    const payload = Buffer.alloc(8);
    payload.writeUInt32BE(0, 0);
    payload.writeUInt32BE(code, 4);
    this.#socket.write(encodeFrame(FrameType.GOAWAY, 0, 0, payload));
  }

  // Ends the connection: every stream and queued request hears onFailure.
  #fail(error: Error): void {
    if (this.#closed) return;
    const wasUsable = this.usable;
    this.#closed = true;
    this.#socket.end();
    this.#socket.destroySoon();
    if (wasUsable) this.#onClose(error);
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    for (const stream of streams) stream.handler.onFailure(error, false);
    for (const queued of this.#queue.splice(0)) if (!queued.cancelled) queued.handler.onFailure(error, true);
  }
}
