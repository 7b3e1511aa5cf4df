// HPACK (src/h2/hpack-decoder.ts, hpack-encoder.ts): the request and response
// sequences of RFC 7541 Appendix C, each decoded by one decoder (so the
// dynamic table carries over), with the table's contents and size after each
// block; size updates, eviction and malformed blocks; and the encoder's
// literal blocks read back by the decoder.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HpackDecoder, HpackError } from '../dist/h2/hpack-decoder.js';
import { encodeHeaderBlock } from '../dist/h2/hpack-encoder.js';

const hex = (text) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const authority = [':authority', 'www.example.com'];
const firstRequest = [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], authority];
const secondRequest = [...firstRequest, ['cache-control', 'no-cache']];
const thirdRequest = [
  [':method', 'GET'],
  [':scheme', 'https'],
  [':path', '/index.html'],
  authority,
  ['custom-key', 'custom-value'],
];

function checkSequence(decoder, steps) {
  for (const [block, fields, table, size] of steps) {
    assert.deepEqual(decoder.decode(hex(block)), fields);
    assert.deepEqual(decoder.dynamicEntries, table);
    assert.equal(decoder.tableSize, size);
  }
}

test('C.3: requests without Huffman coding', () => {
  checkSequence(new HpackDecoder(), [
    ['8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', firstRequest, [authority], 57],
    ['8286 84be 5808 6e6f 2d63 6163 6865', secondRequest, [['cache-control', 'no-cache'], authority], 110],
    [
      '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
      thirdRequest,
      [['custom-key', 'custom-value'], ['cache-control', 'no-cache'], authority],
      164,
    ],
  ]);
});

test('C.4: requests with Huffman coding', () => {
  checkSequence(new HpackDecoder(), [
    ['8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', firstRequest, [authority], 57],
    ['8286 84be 5886 a8eb 1064 9cbf', secondRequest, [['cache-control', 'no-cache'], authority], 110],
    [
      '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
      thirdRequest,
      [['custom-key', 'custom-value'], ['cache-control', 'no-cache'], authority],
      164,
    ],
  ]);
});

const date1 = ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'];
const date2 = ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'];
const location = ['location', 'https://www.example.com'];
const privateCache = ['cache-control', 'private'];
const cookie = ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'];
const responses = [
  [[':status', '302'], privateCache, date1, location],
  [[':status', '307'], privateCache, date1, location],
  [[':status', '200'], privateCache, date2, location, ['content-encoding', 'gzip'], cookie],
];
const tables = [
  [[location, date1, privateCache, [':status', '302']], 222],
  [[[':status', '307'], location, date1, privateCache], 222],
  [[cookie, ['content-encoding', 'gzip'], date2], 215],
];

test('C.5: responses without Huffman coding, table of 256 octets (evictions)', () => {
  const blocks = [
    '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d ' +
      '546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
    '4803 3330 37c1 c0bf',
    '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f ' +
      '6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b ' +
      '2076 6572 7369 6f6e 3d31',
  ];
  checkSequence(new HpackDecoder(256), blocks.map((block, i) => [block, responses[i], ...tables[i]]));
});

test('C.6: responses with Huffman coding, table of 256 octets (evictions)', () => {
  const blocks = [
    '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 ' +
      '8f0b 97c8 e9ae 82ae 43d3',
    '4883 640e ffc1 c0bf',
    '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 ' +
      'dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
  ];
  checkSequence(new HpackDecoder(256), blocks.map((block, i) => [block, responses[i], ...tables[i]]));
});

test('literals never indexed, and C.2.x single representations', () => {
  const decoder = new HpackDecoder();
  // C.2.3: never indexed, new name.
  assert.deepEqual(decoder.decode(hex('1008 7061 7373 776f 7264 0673 6563 7265 74')), [['password', 'secret']]);
  // C.2.2: without indexing, indexed name.
  assert.deepEqual(decoder.decode(hex('040c 2f73 616d 706c 652f 7061 7468')), [[':path', '/sample/path']]);
  assert.equal(decoder.tableSize, 0);
  // C.2.1: with indexing, new name.
  assert.deepEqual(decoder.decode(hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572')), [
    ['custom-key', 'custom-header'],
  ]);
  assert.equal(decoder.tableSize, 55);
  // An index into the dynamic table (62 = newest).
  assert.deepEqual(decoder.decode(hex('be')), [['custom-key', 'custom-header']]);
});

test('dynamic table size updates: shrink evicts, only at the start, never beyond the setting', () => {
  const decoder = new HpackDecoder();
  decoder.decode(hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'));
  assert.equal(decoder.tableSize, 55);
  // Size update to 0 (0x20) empties the table; then to 4096 (0x3f e1 1f) and a field.
  assert.deepEqual(decoder.decode(hex('20 3fe11f 82')), [[':method', 'GET']]);
  assert.equal(decoder.tableSize, 0);
  assert.throws(() => decoder.decode(hex('be')), /beyond the tables/);
  assert.throws(() => decoder.decode(hex('82 20')), /follows a header field/);
  // 4097 > the 4096 advertised.
  assert.throws(() => new HpackDecoder().decode(hex('3fe21f')), /exceeds the 4096 allowed/);
  // An entry larger than the whole table empties it and is not added.
  const small = new HpackDecoder(40);
  small.decode(hex('4001 61 01 62')); // a: b, 34 octets
  assert.equal(small.tableSize, 34);
  small.decode(hex('4001 63 0a 30313233343536373839')); // c: 0123456789, 43 octets
  assert.equal(small.tableSize, 0);
  assert.deepEqual(small.dynamicEntries, []);
});

test('malformed blocks are HpackErrors', () => {
  const malformed = [
    '80', // index 0
    'ff', // an integer cut short
    'ff ff ff ff ff 7f', // an integer too large
    '04', // a literal without its value
    '040c 2f73', // a string cut short
    '0481 00', // a Huffman string ending in 8 zero bits
  ];
  for (const block of malformed) assert.throws(() => new HpackDecoder().decode(hex(block)), HpackError, block);
});

test('the encoder writes literals without indexing that the decoder reads back', () => {
  const fields = [
    [':method', 'POST'],
    [':path', '/mcpcred.v1.Agent/GetCredential'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ['grpc-timeout', '10000m'],
    ['x-long', 'v'.repeat(300)], // a length over the 7-bit prefix
  ];
  const block = encodeHeaderBlock(fields);
  assert.equal(block[0], 0x02, ':method by the static index of its name (2), without indexing');
  const decoder = new HpackDecoder();
  assert.deepEqual(decoder.decode(block), fields);
  assert.equal(decoder.tableSize, 0);
  assert.throws(() => encodeHeaderBlock([['Upper', 'x']]), /invalid header name/);
  assert.throws(() => encodeHeaderBlock([['x', 'a\r\nb']]), /invalid value/);
});
