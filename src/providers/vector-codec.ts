/**
 * Vectors as OpenAI's `encoding_format: base64` sends them: the base64 of the little-endian float32
 * bytes. Pure; used by the endpoint (to answer base64) and by adapters (to read an upstream that
 * answered base64).
 */

/** Little-endian float32 bytes of `vector`, in base64. */
export function encodeFloat32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] as number, i * 4);
  return bytes.toString('base64');
}

/** The vector a base64 float32 string holds; undefined when it is not one (length not a multiple of 4). */
export function decodeFloat32Base64(text: string): number[] | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  const out = new Array<number>(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
