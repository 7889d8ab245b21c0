/** The closest of `candidates` to `word` if it is plausibly a typo of it (case, `_`/`-`, or a few edits). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const exact = candidates.find((candidate) => norm(candidate) === norm(word));
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const distance = editDistance(norm(word), norm(candidate));
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance - 1;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** `a, b, c`, or `a, b, … (12 more)` when long. */
export function nameList(names: readonly string[], max = 20): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}
