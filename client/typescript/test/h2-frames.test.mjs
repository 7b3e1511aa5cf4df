// HTTP/2 framing (src/h2/frames.ts): frames cut out of a byte stream however
// it is split, padding and priority fields stripped, bad sizes refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Flag, FrameReader, FrameType, Http2Error, encodeFrame } from '../dist/h2/frames.js';

const summary = (frames) =>
  frames.map(({ type, flags, streamId, payload, length }) => [type, flags, streamId, payload.toString('latin1'), length]);

test('frames split at every possible point come out whole and in order', () => {
  const bytes = Buffer.concat([
    encodeFrame(FrameType.SETTINGS, 0, 0),
    encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.from('block')),
    encodeFrame(FrameType.DATA, Flag.END_STREAM, 1, Buffer.from('hello')),
  ]);
  const expected = [
    [FrameType.SETTINGS, 0, 0, '', 0],
    [FrameType.HEADERS, Flag.END_HEADERS, 1, 'block', 5],
    [FrameType.DATA, Flag.END_STREAM, 1, 'hello', 5],
  ];
  for (let first = 0; first <= bytes.length; first++) {
    for (const second of [first, Math.min(bytes.length, first + 1), Math.min(bytes.length, first + 10)]) {
      const reader = new FrameReader();
      const frames = [
        ...reader.push(bytes.subarray(0, first)),
        ...reader.push(bytes.subarray(first, second)),
        ...reader.push(bytes.subarray(second)),
      ];
      assert.deepEqual(summary(frames), expected, `split at ${first} and ${second}`);
    }
  }
  // One byte at a time.
  const reader = new FrameReader();
  const frames = [];
  for (const byte of bytes) frames.push(...reader.push(Buffer.from([byte])));
  assert.deepEqual(summary(frames), expected);
});

test('padding and HEADERS priority fields are stripped; the wire length is kept', () => {
  const paddedData = Buffer.concat([Buffer.from([3]), Buffer.from('abc'), Buffer.alloc(3)]);
  const paddedHeaders = Buffer.concat([Buffer.from([2]), Buffer.from([0, 0, 0, 3, 16]), Buffer.from('hb'), Buffer.alloc(2)]);
  const priorityOnly = Buffer.concat([Buffer.from([0x80, 0, 0, 3, 200]), Buffer.from('xy')]);
  const frames = new FrameReader().push(
    Buffer.concat([
      encodeFrame(FrameType.DATA, Flag.PADDED, 1, paddedData),
      encodeFrame(FrameType.HEADERS, Flag.PADDED | Flag.PRIORITY | Flag.END_HEADERS, 1, paddedHeaders),
      encodeFrame(FrameType.HEADERS, Flag.PRIORITY, 3, priorityOnly),
      encodeFrame(FrameType.DATA, Flag.PADDED, 1, Buffer.from([0])),
    ]),
  );
  assert.deepEqual(summary(frames), [
    [FrameType.DATA, Flag.PADDED, 1, 'abc', 7],
    [FrameType.HEADERS, Flag.PADDED | Flag.PRIORITY | Flag.END_HEADERS, 1, 'hb', 10],
    [FrameType.HEADERS, Flag.PRIORITY, 3, 'xy', 7],
    [FrameType.DATA, Flag.PADDED, 1, '', 1],
  ]);
});

test('frames larger than the limit and padding beyond the payload are connection errors', () => {
  const big = Buffer.alloc(9);
  big.writeUIntBE(16_385, 0, 3);
  assert.throws(() => new FrameReader().push(big), (error) => error instanceof Http2Error && error.code === 0x6);
  const reader = new FrameReader();
  reader.maxFrameSize = 20_000;
  assert.deepEqual(reader.push(big), []);
  assert.throws(
    () => new FrameReader().push(encodeFrame(FrameType.DATA, Flag.PADDED, 1, Buffer.from([5, 1, 2]))),
    (error) => error instanceof Http2Error && error.code === 0x1,
  );
  assert.throws(
    () => new FrameReader().push(encodeFrame(FrameType.HEADERS, Flag.PADDED, 1, Buffer.alloc(0))),
    (error) => error instanceof Http2Error && error.code === 0x6,
  );
  // Other frame types keep their payload as is, even with the PADDED bit set.
  assert.deepEqual(summary(new FrameReader().push(encodeFrame(FrameType.SETTINGS, Flag.PADDED, 0, Buffer.from([9])))), [
    [FrameType.SETTINGS, Flag.PADDED, 0, '\t', 1],
  ]);
});
