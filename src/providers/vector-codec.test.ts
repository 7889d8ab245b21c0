import { describe, expect, it } from 'vitest';
import { decodeFloat32Base64, encodeFloat32Base64 } from './vector-codec.js';

describe('float32 base64', () => {
  it('is little-endian float32, as OpenAI sends it', () => {
    // 1.0f = 0x3f800000 → bytes 00 00 80 3f
    expect(encodeFloat32Base64([1])).toBe(Buffer.from([0, 0, 0x80, 0x3f]).toString('base64'));
  });

  it.each([[[0.5, -0.25, 3]], [[]], [[Math.fround(0.1)]]])('round-trips %j', (vector) => {
    expect(decodeFloat32Base64(encodeFloat32Base64(vector))).toEqual(vector);
  });

  it('rounds to float32 precision', () => {
    expect(decodeFloat32Base64(encodeFloat32Base64([0.1]))).toEqual([Math.fround(0.1)]);
  });

  it('refuses a byte count that is not a multiple of 4', () => {
    expect(decodeFloat32Base64(Buffer.from([1, 2, 3]).toString('base64'))).toBeUndefined();
  });
});
