// The live feed: one line per fallback, retry, breaker change, cooldown, hedge and stream recovery.
import { clockTime, duration, el } from './dom.js';

/** What the feed asks /events for (`retry.` is a prefix: scheduled retries and an exhausted budget). */
export const FEED_TYPES = [
  'fallback',
  'retry.',
  'breaker.transition',
  'model.cooling_down',
  'hedge.started',
  'stream.recovered',
  'request.failed',
];

const MAX_ITEMS = 40;

/** [kind, mark, text] for one wire event; undefined for events the feed does not show. */
export function describe(e) {
  const on = e.route ? ` on ${e.route}` : '';
  switch (e.type) {
    case 'fallback':
      return ['fallback', '↪', `Fallback${on}: ${e.from} → ${e.to} (${e.reason})`];
    case 'retry.scheduled':
      return ['retry', '↻', `Retry of ${e.model}${on} in ${e.delayMs} ms (${e.reason})`];
    case 'retry.budget_exhausted':
      return ['retry', '↻', `Retry budget exhausted: ${e.model} not retried${on}`];
    case 'breaker.transition': {
      const where = e.remote ? ' (learnt from another instance)' : '';
      const mark = e.to === 'open' ? '■' : e.to === 'half_open' ? '◐' : '●';
      return [`breaker-${e.to}`, mark, `Breaker ${e.model}: ${e.from} → ${e.to}${where} (${e.reason})`];
    }
    case 'model.cooling_down':
      return ['cooldown', '◔', `${e.model} cooling down for ${duration(e.retryAfterMs)} (Retry-After)${on}`];
    case 'hedge.started':
      return ['hedge', '⇉', `Hedge${on}: ${e.model} slow after ${e.afterMs} ms, ${e.hedge} started too`];
    case 'stream.recovered':
      return [
        'recovery',
        '⤳',
        e.to
          ? `Stream recovered${on}: ${e.from} broke after ${e.partialChars} chars (${e.reason}); ${e.to} continued (${e.mode})`
          : `Stream lost${on}: ${e.from} broke (${e.reason}); no model could continue`,
      ];
    case 'request.failed':
      return ['failed', '✕', `Request failed${on}: ${e.code}`];
    default:
      return undefined;
  }
}

export function addToFeed(list, e) {
  const d = describe(e);
  if (!d) return;
  const [kind, mark, text] = d;
  list.prepend(
    el(
      'li',
      { class: `feed-item feed-${kind}`, 'data-type': e.type },
      el('time', { datetime: new Date(e.at_ms).toISOString() }, clockTime(e.at_ms)),
      el('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
      el('span', { class: 'feed-text' }, text),
    ),
  );
  while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
}
