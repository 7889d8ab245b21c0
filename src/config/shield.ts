import { randomBytes } from 'node:crypto';

/**
 * `${VAR}` cannot be written unquoted inside a YAML flow collection (`{ api_key: ${KEY} }`): YAML reads
 * its braces as flow indicators. Before parsing, each `${...}` (and `$${...}`) reference is swapped for
 * an inert alphanumeric token; after parsing, the tokens are swapped back, so interpolation still
 * happens on parsed values and expanded secrets never pass through the YAML parser.
 */
export interface Shielded {
  text: string;
  /** Puts the original references back into every string (and mapping key) of a parsed value. */
  restore(value: unknown): unknown;
  /** Maps an offset in the shielded text to the offset in the original text. */
  originalOffset(offset: number): number;
}

const REFERENCE = /\$?\$\{[^}\r\n]*\}/g;

interface Swap {
  at: number;
  length: number;
  originalAt: number;
  original: string;
}

export function shieldReferences(text: string): Shielded {
  if (!text.includes('${')) return { text, restore: (value) => value, originalOffset: (offset) => offset };
  let prefix: string;
  do prefix = `SBREF${randomBytes(6).toString('hex')}N`;
  while (text.includes(prefix));
  const token = new RegExp(`${prefix}(\\d+)E`, 'g');

  const swaps: Swap[] = [];
  let shift = 0;
  const shielded = text.replace(REFERENCE, (original, originalAt: number) => {
    const replacement = `${prefix}${swaps.length}E`;
    swaps.push({ at: originalAt + shift, length: replacement.length, originalAt, original });
    shift += replacement.length - original.length;
    return replacement;
  });

  const unshield = (s: string) =>
    s.replace(token, (_, index: string) => swaps[Number(index)]?.original ?? '');
  const restore = (value: unknown): unknown => {
    if (typeof value === 'string') return unshield(value);
    if (Array.isArray(value)) return value.map(restore);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [unshield(key), restore(item)]));
    }
    return value;
  };
  const originalOffset = (offset: number): number => {
    let mapped = offset;
    for (const swap of swaps) {
      if (offset < swap.at) break;
      if (offset < swap.at + swap.length) return swap.originalAt;
      mapped = swap.originalAt + swap.original.length + (offset - swap.at - swap.length);
    }
    return mapped;
  };
  return { text: shielded, restore, originalOffset };
}
