/** Readers for the document before validation: they return undefined for anything of the wrong shape. */

export type RawRecord = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown): RawRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as RawRecord)
    : undefined;
}

/** Own entries whose value is a mapping. */
export function recordEntries(value: unknown): [string, RawRecord][] {
  const record = asRecord(value);
  if (record === undefined) return [];
  return Object.entries(record).flatMap(([key, item]) => {
    const inner = asRecord(item);
    return inner === undefined ? [] : [[key, inner] as [string, RawRecord]];
  });
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** null and undefined are "absent" in the file format. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** Routes written as a bare list (`quality: [a, b]`) rather than `{ models: [...] }`. */
export function shortFormRoutes(document: unknown): Set<string> {
  const routes = asRecord(asRecord(document)?.routes);
  return new Set(Object.keys(routes ?? {}).filter((id) => Array.isArray(routes?.[id])));
}
