// HTTP/2 servers on Unix sockets for the tests of src/h2: a scripted peer
// that speaks raw frames (each test decides exactly what goes on the wire,
// byte by byte if it likes), and a gRPC echo server on node:http2 (a real,
// independent HTTP/2 implementation: nghttp2 with Huffman coding, its
// dynamic table, padding, CONTINUATION and flow control of its own).
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import { join } from 'node:path';

import { CONNECTION_PREFACE, Flag, FrameReader, FrameType, encodeFrame } from '../dist/h2/frames.js';
import { HpackDecoder } from '../dist/h2/hpack-decoder.js';
import { encodeHeaderBlock } from '../dist/h2/hpack-encoder.js';

function socketPath() {
  const dir = mkdtempSync('/tmp/mch2-');
  return { dir, path: join(dir, 's.sock') };
}

/** A gRPC response's frames on `streamId`: headers, one message, trailers. */
export function grpcResponseFrames(streamId, message, { status = 0, grpcMessage } = {}) {
  const framed = Buffer.alloc(5 + message.length);
  framed.writeUInt32BE(message.length, 1);
  message.copy(framed, 5);
  const trailers = [['grpc-status', String(status)]];
  if (grpcMessage !== undefined) trailers.push(['grpc-message', grpcMessage]);
  return [
    encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, streamId, encodeHeaderBlock([[':status', '200'], ['content-type', 'application/grpc']])),
    encodeFrame(FrameType.DATA, 0, streamId, framed),
    encodeFrame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, streamId, encodeHeaderBlock(trailers)),
  ];
}

/**
 * A raw HTTP/2 server. `onRequest(peer, streamId, headers, body)` runs once a
 * request stream ended; `onFrame(peer, frame)` sees every frame the client
 * sends. `peer.send(...frames)` writes at once, `peer.trickle(...frames)`
 * one byte per write with a pause between. Every connection is recorded in
 * `connections`; `frames` lists what clients sent, decoded headers included.
 */
export async function scriptedPeer({ onRequest = () => {}, onFrame = () => {}, settings = Buffer.alloc(0) } = {}) {
  const { dir, path } = socketPath();
  const connections = [];
  const server = net.createServer((socket) => {
    const reader = new FrameReader();
    const decoder = new HpackDecoder();
    const requests = new Map();
    let prefaceLeft = CONNECTION_PREFACE.length;
    const peer = {
      socket,
      frames: [],
      send: (...frames) => socket.write(Buffer.concat(frames)),
      trickle: async (...frames) => {
        for (const byte of Buffer.concat(frames)) {
          if (socket.destroyed) return;
          socket.write(Buffer.from([byte]));
          await new Promise((done) => setTimeout(done, 0));
        }
      },
    };
    connections.push(peer);
    socket.on('error', () => {});
    peer.send(encodeFrame(FrameType.SETTINGS, 0, 0, settings));
    socket.on('data', (chunk) => {
      if (prefaceLeft > 0) {
        const skip = Math.min(prefaceLeft, chunk.length);
        prefaceLeft -= skip;
        chunk = chunk.subarray(skip);
      }
      for (const frame of reader.push(chunk)) {
        if (frame.type === FrameType.HEADERS) frame.headers = decoder.decode(frame.payload);
        peer.frames.push(frame);
        onFrame(peer, frame);
        if (frame.type === FrameType.SETTINGS && !(frame.flags & Flag.ACK)) peer.send(encodeFrame(FrameType.SETTINGS, Flag.ACK, 0));
        if (frame.type === FrameType.HEADERS) requests.set(frame.streamId, { headers: frame.headers, body: [] });
        if (frame.type === FrameType.DATA) requests.get(frame.streamId)?.body.push(frame.payload);
        if ((frame.type === FrameType.HEADERS || frame.type === FrameType.DATA) && frame.flags & Flag.END_STREAM) {
          const request = requests.get(frame.streamId);
          requests.delete(frame.streamId);
          onRequest(peer, frame.streamId, request.headers, Buffer.concat(request.body));
        }
      }
    });
  });
  await new Promise((done) => server.listen(path, done));
  return {
    path,
    connections,
    async close() {
      for (const { socket } of connections) socket.destroy();
      await new Promise((done) => server.close(done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A gRPC server on node:http2 answering every unary call with its request
 * message repeated `repeat` times (header "x-repeat", default 1), status
 * from "x-status", plus a response header "x-big" of "x-big-length"
 * characters. `options` go to http2.createServer (settings, padding).
 */
export async function echoServer(options = {}) {
  const { dir, path } = socketPath();
  const server = http2.createServer(options);
  const sessions = new Set();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const message = body.subarray(5).toString('latin1').repeat(Number(headers['x-repeat'] ?? 1));
      const framed = Buffer.alloc(5 + Buffer.byteLength(message, 'latin1'));
      framed.writeUInt32BE(framed.length - 5, 1);
      framed.write(message, 5, 'latin1');
      const responseHeaders = { ':status': 200, 'content-type': 'application/grpc' };
      if (headers['x-big-length']) responseHeaders['x-big'] = 'b'.repeat(Number(headers['x-big-length']));
      stream.respond(responseHeaders, { waitForTrailers: true });
      stream.on('wantTrailers', () =>
        stream.sendTrailers({ 'grpc-status': headers['x-status'] ?? '0', 'grpc-message': 'echo%20done' }),
      );
      stream.end(framed);
    });
  });
  await new Promise((done) => server.listen(path, done));
  return {
    path,
    sessions,
    async close() {
      for (const session of sessions) session.destroy();
      await new Promise((done) => server.close(done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
