// The HTTP/2 unary client (src/h2: connection, gRPC unary call, channel)
// against real servers on Unix sockets: node:http2 (an independent HTTP/2
// implementation) for flow control, padding, CONTINUATION, Huffman and the
// dynamic table, and many streams at once; a scripted peer for exact frame
// sequences: responses trickled one byte per write, trailers-only answers,
// RST_STREAM, GOAWAY, PING, a socket that closes, a server that never answers.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { test } from 'node:test';

import { UnaryChannel } from '../dist/h2/channel.js';
import { Http2Connection } from '../dist/h2/connection.js';
import { ErrorCode, Flag, FrameType, encodeFrame } from '../dist/h2/frames.js';
import { DeadlineExceeded, TransportFailure, requestHeaderBlock, unaryCall } from '../dist/h2/grpc-unary.js';
import { encodeHeaderBlock } from '../dist/h2/hpack-encoder.js';
import { echoServer, grpcResponseFrames, scriptedPeer } from './h2-peers.mjs';

const PATH = '/test.Echo/Call';
const block = (extra = []) =>
  Buffer.concat([requestHeaderBlock(PATH, 'localhost', 'h2-test'), encodeHeaderBlock(extra)]);
const field = (headers, name) => headers.find(([fieldName]) => fieldName === name)?.[1];

function closeAfter(t, ...closables) {
  t.after(async () => {
    for (const closable of closables) await closable.close();
  });
}

test('node:http2 peer: echo calls, padding, CONTINUATION, Huffman and the dynamic table', { timeout: 30_000 }, async (t) => {
  const server = await echoServer({ paddingStrategy: http2.constants.PADDING_STRATEGY_MAX });
  const channel = new UnaryChannel(server.path);
  closeAfter(t, channel, server);
  for (let i = 0; i < 3; i++) {
    // Repeated responses: the second and third reuse nghttp2's dynamic table entries.
    const answer = await channel.call(block(), Buffer.from(`hello ${i}`), 5000);
    assert.deepEqual({ ...answer, response: answer.response.toString() }, { code: 0, message: 'echo done', response: `hello ${i}` });
  }
  // A 40 KB response header takes HEADERS and CONTINUATION frames.
  const big = await channel.call(block([['x-big-length', '40000']]), Buffer.from('big'), 5000);
  assert.equal(big.response.toString(), 'big');
  const status = await channel.call(block([['x-status', '5']]), Buffer.from('x'), 5000);
  assert.deepEqual([status.code, status.message, status.response], [5, 'echo done', undefined]);
});

test('node:http2 peer: flow control both ways, and 200 calls at once past a limit of 4 streams', { timeout: 60_000 }, async (t) => {
  const server = await echoServer({ settings: { maxConcurrentStreams: 4 } });
  const channel = new UnaryChannel(server.path);
  closeAfter(t, channel, server);
  // 200 KB out (the server's window is 64 KB: it must send WINDOW_UPDATEs),
  // 20 MB back (more than this client's 16 MB window: it must send them).
  const request = Buffer.alloc(200_000, 'r');
  const answer = await channel.call(block([['x-repeat', '100']]), request, 30_000);
  assert.equal(answer.code, 0);
  assert.equal(answer.response.length, 20_000_000);
  assert.ok(answer.response.every((byte) => byte === 0x72));

  const calls = Array.from({ length: 200 }, (_, i) => channel.call(block(), Buffer.from(`call ${i}`), 30_000));
  const answers = await Promise.all(calls);
  answers.forEach((reply, i) => assert.equal(reply.response.toString(), `call ${i}`));
  assert.equal(server.sessions.size, 1, 'all calls shared one connection');
});

test('scripted peer: a response trickled one byte per write, padded, split over CONTINUATION', { timeout: 30_000 }, async (t) => {
  const peer = await scriptedPeer({
    onRequest: (connection, streamId, headers, body) => {
      const headerBlock = encodeHeaderBlock([[':status', '200'], ['content-type', 'application/grpc+proto'], ['x-pad', 'p'.repeat(50)]]);
      const padded = (payload, padLength) => Buffer.concat([Buffer.from([padLength]), payload, Buffer.alloc(padLength)]);
      const message = body.subarray(5);
      const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
      connection.trickle(
        encodeFrame(FrameType.HEADERS, Flag.PADDED, streamId, padded(headerBlock.subarray(0, 10), 7)),
        encodeFrame(FrameType.CONTINUATION, 0, streamId, headerBlock.subarray(10, 30)),
        encodeFrame(FrameType.CONTINUATION, Flag.END_HEADERS, streamId, headerBlock.subarray(30)),
        encodeFrame(FrameType.DATA, Flag.PADDED, streamId, padded(framed.subarray(0, 3), 2)),
        encodeFrame(FrameType.DATA, 0, streamId, framed.subarray(3)),
        encodeFrame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, streamId, encodeHeaderBlock([['grpc-status', '0']])),
      );
      assert.equal(field(headers, ':path'), PATH);
      assert.equal(field(headers, 'te'), 'trailers');
      assert.equal(field(headers, 'grpc-timeout'), '5000m');
    },
  });
  const channel = new UnaryChannel(peer.path);
  closeAfter(t, channel, peer);
  const answer = await channel.call(block(), Buffer.from('trickled'), 5000);
  assert.equal(answer.response.toString(), 'trickled');
});

test('scripted peer: trailers-only errors, percent-encoded messages, RST_STREAM, bad responses', { timeout: 30_000 }, async (t) => {
  const peer = await scriptedPeer({
    onRequest: (connection, streamId, headers, body) => {
      const kind = body.subarray(5).toString();
      const headersOnly = (fields) => encodeFrame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, streamId, encodeHeaderBlock(fields));
      if (kind === 'trailers-only') {
        connection.send(
          headersOnly([
            [':status', '200'],
            ['content-type', 'application/grpc'],
            ['grpc-status', '9'],
            ['grpc-message', 'needs a login: run %27mcpcred login web%27 %E2%9C%93 100%'],
          ]),
        );
      } else if (kind === 'reset') {
        const code = Buffer.alloc(4);
        code.writeUInt32BE(ErrorCode.REFUSED_STREAM);
        connection.send(encodeFrame(FrameType.RST_STREAM, 0, streamId, code));
      } else if (kind === 'http-503') {
        connection.send(headersOnly([[':status', '503']]));
      } else if (kind === 'no-status') {
        connection.send(headersOnly([[':status', '200'], ['content-type', 'application/grpc']]));
      } else {
        connection.send(...grpcResponseFrames(streamId, Buffer.from('fine')));
      }
    },
  });
  const channel = new UnaryChannel(peer.path);
  closeAfter(t, channel, peer);
  const answer = await channel.call(block(), Buffer.from('trailers-only'), 5000);
  assert.deepEqual(answer, { code: 9, message: "needs a login: run 'mcpcred login web' ✓ 100%", response: undefined });
  await assert.rejects(channel.call(block(), Buffer.from('reset'), 5000), (error) => {
    assert.ok(error instanceof TransportFailure);
    assert.match(error.message, /reset the stream \(HTTP\/2 error 7\)/);
    return true;
  });
  await assert.rejects(channel.call(block(), Buffer.from('http-503'), 5000), /HTTP status 503/);
  await assert.rejects(channel.call(block(), Buffer.from('no-status'), 5000), /no grpc-status/);
  // The connection survived each of them.
  assert.equal((await channel.call(block(), Buffer.from('ok'), 5000)).response.toString(), 'fine');
  assert.equal(peer.connections.length, 1);
});

test('scripted peer: PING is answered; GOAWAY fails the streams above its last id; the channel reconnects', { timeout: 30_000 }, async (t) => {
  const held = [];
  let goaway = false;
  const peer = await scriptedPeer({
    onRequest: (connection, streamId) => {
      if (!goaway) {
        held.push(streamId);
        return;
      }
      connection.send(...grpcResponseFrames(streamId, Buffer.from(`answer ${streamId}`)));
    },
  });
  const channel = new UnaryChannel(peer.path);
  closeAfter(t, channel, peer);
  const first = channel.call(block(), Buffer.from('a'), 5000);
  const second = channel.call(block(), Buffer.from('b'), 5000);
  while (held.length < 2) await new Promise((done) => setTimeout(done, 5));
  const [connection] = peer.connections;

  connection.send(encodeFrame(FrameType.PING, 0, 0, Buffer.from('pingpong')));
  while (!connection.frames.some((frame) => frame.type === FrameType.PING)) await new Promise((done) => setTimeout(done, 5));
  const pong = connection.frames.find((frame) => frame.type === FrameType.PING);
  assert.deepEqual([pong.flags, pong.payload.toString()], [Flag.ACK, 'pingpong']);

  // GOAWAY: stream 1 was processed and still gets its answer; stream 3 was not.
  goaway = true;
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(1, 0);
  connection.send(encodeFrame(FrameType.GOAWAY, 0, 0, payload));
  await assert.rejects(second, (error) => error instanceof TransportFailure && /GOAWAY/.test(error.message));
  connection.send(...grpcResponseFrames(1, Buffer.from('answer 1')));
  assert.equal((await first).response.toString(), 'answer 1');
  // The next call opens a second connection.
  assert.equal((await channel.call(block(), Buffer.from('c'), 5000)).response.toString(), 'answer 1');
  assert.equal(peer.connections.length, 2);
});

test('scripted peer: a socket that closes mid-call, a server that never answers', { timeout: 30_000 }, async (t) => {
  const peer = await scriptedPeer({
    onRequest: (connection, streamId, headers, body) => {
      if (body.subarray(5).toString() === 'close') connection.socket.destroy();
      // 'silent': no answer at all.
    },
  });
  const channel = new UnaryChannel(peer.path);
  closeAfter(t, channel, peer);
  await assert.rejects(channel.call(block(), Buffer.from('close'), 5000), TransportFailure);
  await assert.rejects(channel.call(block(), Buffer.from('silent'), 200), (error) => {
    assert.ok(error instanceof DeadlineExceeded, `not a DeadlineExceeded: ${error}`);
    return true;
  });
  assert.equal(peer.connections.length, 2, 'a new connection after the socket closed');
  // The cancelled stream was reset with CANCEL.
  const connection = peer.connections[1];
  while (!connection.frames.some((frame) => frame.type === FrameType.RST_STREAM)) await new Promise((done) => setTimeout(done, 5));
  const reset = connection.frames.find((frame) => frame.type === FrameType.RST_STREAM);
  assert.equal(reset.payload.readUInt32BE(0), ErrorCode.CANCEL);
});

test('no server: TransportFailure, and the channel is unavailable for a while', async () => {
  const channel = new UnaryChannel('/tmp/mch2-nothing-here/s.sock');
  await assert.rejects(channel.call(block(), Buffer.from('x'), 1000), TransportFailure);
  assert.equal(channel.available, false);
  await assert.rejects(channel.call(block(), Buffer.from('x'), 1000), /not available/);
  channel.close();
});

test('a protocol error from the peer ends the connection with GOAWAY', { timeout: 30_000 }, async (t) => {
  const peer = await scriptedPeer({
    onRequest: (connection, streamId) => {
      // A CONTINUATION without a header block to continue.
      connection.send(encodeFrame(FrameType.CONTINUATION, Flag.END_HEADERS, streamId, Buffer.from([0x88])));
    },
  });
  const connection = new Http2Connection(peer.path);
  closeAfter(t, connection, peer);
  const failure = new Promise((resolve) =>
    connection.request(block(), Buffer.alloc(5), {
      onHeaders() {},
      onData() {},
      onEnd: () => resolve('ended'),
      onReset: () => resolve('reset'),
      onFailure: (error) => resolve(error.message),
    }),
  );
  assert.match(await failure, /CONTINUATION without a header block/);
  assert.equal(connection.usable, false);
  const [server] = peer.connections;
  while (!server.frames.some((frame) => frame.type === FrameType.GOAWAY)) await new Promise((done) => setTimeout(done, 5));
  const goaway = server.frames.find((frame) => frame.type === FrameType.GOAWAY);
  assert.equal(goaway.payload.readUInt32BE(4), ErrorCode.PROTOCOL_ERROR);
});

test('unaryCall on a closed connection fails at once, retryable', async () => {
  const connection = new Http2Connection('/tmp/mch2-nothing-here/s.sock');
  connection.close();
  await assert.rejects(unaryCall(connection, block(), Buffer.alloc(0), 1000), /connection is closed/);
});

test('scripted peer: the client sends no more DATA than the peer\'s window until a WINDOW_UPDATE', { timeout: 30_000 }, async (t) => {
  const settings = Buffer.alloc(6);
  settings.writeUInt16BE(0x4, 0); // SETTINGS_INITIAL_WINDOW_SIZE
  settings.writeUInt32BE(1000, 2);
  let received = 0;
  let opened = false;
  const peer = await scriptedPeer({
    settings,
    onFrame: (connection, frame) => {
      if (frame.type !== FrameType.DATA) return;
      received += frame.length;
      if (!opened) {
        assert.ok(received <= 1000, `${received} bytes sent into a window of 1000`);
        if (received === 1000) {
          // Let the sender get stuck for a moment, then open the window.
          setTimeout(() => {
            opened = true;
            const increment = Buffer.alloc(4);
            increment.writeUInt32BE(10_000);
            connection.send(encodeFrame(FrameType.WINDOW_UPDATE, 0, frame.streamId, increment));
          }, 50);
        }
      }
    },
    onRequest: (connection, streamId, headers, body) =>
      connection.send(...grpcResponseFrames(streamId, Buffer.from(`got ${body.length - 5}`))),
  });
  const channel = new UnaryChannel(peer.path);
  closeAfter(t, channel, peer);
  // The first call waits for the peer's SETTINGS, so the second starts with a window of 1000.
  await channel.call(block(), Buffer.alloc(0), 5000).catch(() => {});
  received = 0;
  const answer = await channel.call(block(), Buffer.alloc(5000, 'x'), 5000);
  assert.equal(answer.response.toString(), 'got 5000');
  assert.equal(received, 5005);
});

test('scripted peer: a header block that never ends is cut off at 1 MiB', { timeout: 30_000 }, async (t) => {
  const peer = await scriptedPeer({
    onRequest: (connection, streamId) => {
      const fragment = Buffer.alloc(16_000, 0x82);
      const frames = [encodeFrame(FrameType.HEADERS, 0, streamId, fragment)];
      for (let i = 0; i < 70; i++) frames.push(encodeFrame(FrameType.CONTINUATION, 0, streamId, fragment));
      connection.send(...frames);
    },
  });
  const channel = new UnaryChannel(peer.path);
  closeAfter(t, channel, peer);
  await assert.rejects(channel.call(block(), Buffer.from('x'), 5000), /header block larger than 1048576 bytes/);
  const [server] = peer.connections;
  while (!server.frames.some((frame) => frame.type === FrameType.GOAWAY)) await new Promise((done) => setTimeout(done, 5));
  assert.equal(server.frames.find((frame) => frame.type === FrameType.GOAWAY).payload.readUInt32BE(4), ErrorCode.ENHANCE_YOUR_CALM);
});
