// HPACK's Huffman code (src/h2/huffman.ts): the table against RFC 7541
// Appendix B, the strings of its Appendix C examples, and the padding and EOS
// rules of section 5.2.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HuffmanError, huffmanCode, huffmanDecode } from '../dist/h2/huffman.js';

const hex = (text) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

test('codes derived from the lengths are those of RFC 7541 Appendix B', () => {
  const expected = [
    [0, 0x1ff8, 13],
    [1, 0x7fffd8, 23],
    [9, 0xffffea, 24],
    [10, 0x3ffffffc, 30],
    [32, 0x14, 6], // ' '
    [48, 0x0, 5], // '0'
    [97, 0x3, 5], // 'a'
    [122, 0x7b, 7], // 'z'
    [126, 0x1ffd, 13], // '~'
    [127, 0xffffffc, 28],
    [128, 0xfffe6, 20],
    [200, 0x3ffffe2, 26],
    [255, 0x3ffffee, 26],
    [256, 0x3fffffff, 30], // EOS
  ];
  for (const [symbol, code, length] of expected) {
    assert.deepEqual(huffmanCode(symbol), { code, length }, `symbol ${symbol}`);
  }
});

test('decodes the Huffman strings of RFC 7541 Appendix C.4 and C.6', () => {
  const examples = [
    ['f1e3 c2e5 f23a 6ba0 ab90 f4ff', 'www.example.com'],
    ['a8eb 1064 9cbf', 'no-cache'],
    ['25a8 49e9 5ba9 7d7f', 'custom-key'],
    ['25a8 49e9 5bb8 e8b4 bf', 'custom-value'],
    ['6402', '302'],
    ['aec3 771a 4b', 'private'],
    ['d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff', 'Mon, 21 Oct 2013 20:13:21 GMT'],
    ['9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3', 'https://www.example.com'],
    ['640e ff', '307'],
    ['9bd9 ab', 'gzip'],
  ];
  for (const [bytes, text] of examples) assert.equal(huffmanDecode(hex(bytes)).toString('latin1'), text);
  assert.equal(huffmanDecode(Buffer.alloc(0)).length, 0);
});

test('every byte value round-trips through a code built from the table', () => {
  // Encode all 256 symbols (and pad with 1s) using huffmanCode, then decode.
  let bits = '';
  for (let symbol = 0; symbol < 256; symbol++) {
    const { code, length } = huffmanCode(symbol);
    bits += code.toString(2).padStart(length, '0');
  }
  bits += '1'.repeat((8 - (bits.length % 8)) % 8);
  const bytes = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  assert.deepEqual([...huffmanDecode(bytes)], [...Array(256).keys()]);
});

test('rejects EOS, padding longer than 7 bits and padding that is not all 1s', () => {
  // 'a' (00011) then EOS (30 ones) then 5 ones of padding.
  assert.throws(() => huffmanDecode(Buffer.from([0b00011111, 0xff, 0xff, 0xff, 0xff])), HuffmanError);
  // 'a' then 11 ones: more than 7 bits of padding.
  assert.throws(() => huffmanDecode(Buffer.from([0b00011111, 0xff])), /more than 7 bits of padding/);
  // '0' (00000) then 000 of padding.
  assert.throws(() => huffmanDecode(Buffer.from([0b00000000])), /not EOS/);
  // '0' then 111: fine.
  assert.equal(huffmanDecode(Buffer.from([0b00000111])).toString(), '0');
});
