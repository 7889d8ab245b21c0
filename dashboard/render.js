// The dashboard's model tiles, route rows and cluster view, rebuilt from each /dashboard/data answer.
import { ago, duration, el, percent } from './dom.js';
import { sparkline } from './spark.js';

const STATE = {
  closed: { label: 'Closed', shape: '●', note: 'taking traffic' },
  half_open: { label: 'Half-open', shape: '◐', note: 'one probe decides' },
  open: { label: 'Open', shape: '■', note: 'skipped by every route' },
};

const SKIP_WHY = {
  breaker_open: 'breaker open',
  cooling_down: 'cooling down (rate limited)',
  rate_limit: 'over its rpm/tpm limit',
  context_window: 'prompt too long for it',
  unsupported: 'cannot honour a field',
};

export function stateBadge(state) {
  const s = STATE[state] ?? { label: state, shape: '?', note: '' };
  return el(
    'p',
    { class: `badge badge-${state}`, 'data-badge': state },
    el('span', { class: 'shape', 'aria-hidden': 'true' }, s.shape),
    ` ${s.label}`,
  );
}

/** The latest bucket with attempts among the last `n` (the one in progress first). */
function latest(points, key, n = 3) {
  for (let i = points.length - 1; i >= Math.max(0, points.length - n); i--) {
    if (points[i][key] !== null) return points[i][key];
  }
  return null;
}

function modelTile(id, m, nowMs) {
  const { points } = m.series;
  const state = m.breaker.state;
  const lines = [];
  if (state === 'open') {
    const left = m.breaker.reopen_at_ms === null ? null : m.breaker.reopen_at_ms - nowMs;
    lines.push(
      el(
        'p',
        { class: 'probe', 'data-probe': 'countdown' },
        left === null || left <= 0 ? 'Probe due now' : `Next probe in ${duration(left)}`,
        ` · cooldown ${duration(m.breaker.cooldown_ms)}`,
      ),
    );
  } else if (state === 'half_open') {
    lines.push(el('p', { class: 'probe' }, 'Probing: the next request decides'));
  } else if (m.breaker.failures_in_window > 0) {
    lines.push(
      el('p', { class: 'probe' }, `${m.breaker.failures_in_window} recent failure(s) in the window`),
    );
  }
  if (m.cooling_down_until_ms !== null && m.cooling_down_until_ms > nowMs) {
    lines.push(
      el(
        'p',
        { class: 'cooldown', 'data-cooldown': 'active' },
        el('span', { class: 'shape', 'aria-hidden': 'true' }, '◔'),
        ` Cooling down: ${duration(m.cooling_down_until_ms - nowMs)} left (rate limited)`,
      ),
    );
  }
  const success = latest(points, 'success_rate');
  const p50 = latest(points, 'p50_ms');
  const p95 = latest(points, 'p95_ms');
  const minutes = Math.round((points.length * m.series.bucket_ms) / 60_000);
  const err = m.last_error;
  return el(
    'article',
    { class: `tile tile-${state}`, 'data-model': id, 'data-state': state, 'aria-labelledby': `model-${id}` },
    el(
      'div',
      { class: 'tile-head' },
      el('h3', { id: `model-${id}` }, id),
      el('p', { class: 'provider' }, m.provider),
    ),
    stateBadge(state),
    el('p', { class: 'state-note' }, STATE[state]?.note ?? ''),
    ...lines,
    el(
      'dl',
      { class: 'figures' },
      el('div', {}, el('dt', {}, 'Success'), el('dd', {}, percent(success))),
      el(
        'div',
        {},
        el('dt', {}, 'p50 / p95'),
        el('dd', {}, p50 === null ? '–' : `${Math.round(p50)} / ${Math.round(p95)} ms`),
      ),
      el('div', {}, el('dt', {}, 'Requests'), el('dd', {}, `${m.series.requests_per_s.toFixed(1)}/s`)),
    ),
    el(
      'div',
      { class: 'sparks' },
      sparkline([{ values: points.map((p) => p.success_rate), className: 'line-success' }], {
        max: 1,
        label: `Success rate over the last ${minutes} min: latest ${percent(success)}`,
      }),
      sparkline(
        [
          { values: points.map((p) => p.p95_ms), className: 'line-p95' },
          { values: points.map((p) => p.p50_ms), className: 'line-p50' },
        ],
        { label: `Latency p50 and p95 over the last ${minutes} min` },
      ),
    ),
    el(
      'p',
      { class: 'last-error' },
      err
        ? `Last error: ${err.status ?? 'no status'} · ${err.error} · ${ago(nowMs - err.at_ms)}`
        : 'Last error: none',
    ),
  );
}

export function renderModels(container, data, nowMs) {
  container.replaceChildren(...Object.entries(data.models).map(([id, m]) => modelTile(id, m, nowMs)));
}

/** What a chain link shows: from the route's latest request, and what the breakers say now. */
function linkRole(model, last, models) {
  const live = models[model];
  const role = last?.chain.find((c) => c.model === model);
  if (role?.role === 'answered') return { cls: 'answered', text: 'answering', mark: '▶' };
  if (live?.breaker.state === 'open') return { cls: 'skipped', text: 'skipped: breaker open', mark: '⨯' };
  if (role?.role === 'skipped')
    return { cls: 'skipped', text: `skipped: ${SKIP_WHY[role.why] ?? role.why}`, mark: '⨯' };
  if (role?.role === 'failed') return { cls: 'failed', text: `failed: ${role.why}`, mark: '!' };
  return { cls: 'standby', text: 'standby', mark: '·' };
}

export function renderRoutes(container, data, nowMs) {
  const rows = Object.entries(data.routes).map(([id, r]) => {
    const order = r.last ? r.last.chain.map((c) => c.model) : r.chain;
    const notes = [
      r.default ? 'default' : '',
      r.strategy !== 'ordered' ? r.strategy : '',
      r.hedged ? 'hedged' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const outcome = r.last
      ? r.last.ok
        ? `last request answered by ${r.last.answered_by} ${ago(nowMs - r.last.at_ms)}`
        : `last request failed (${r.last.code}) ${ago(nowMs - r.last.at_ms)}`
      : 'no request yet';
    return el(
      'article',
      { class: 'route', 'data-route': id, 'aria-labelledby': `route-${id}` },
      el('h3', { id: `route-${id}` }, id, notes ? el('span', { class: 'route-notes' }, ` (${notes})`) : null),
      el(
        'ol',
        { class: 'chain', 'aria-label': `Chain of ${id}, in the order tried` },
        ...order.map((model) => {
          const role = linkRole(model, r.last, data.models);
          return el(
            'li',
            { class: `link link-${role.cls}`, 'data-model': model, 'data-role': role.cls },
            el('span', { class: 'mark', 'aria-hidden': 'true' }, role.mark),
            el('span', { class: 'link-model' }, model),
            el('span', { class: 'link-why' }, role.text),
          );
        }),
      ),
      el('p', { class: 'route-outcome' }, outcome),
    );
  });
  container.replaceChildren(...rows);
}

export function renderCluster(section, body, data, nowMs) {
  if (!data.cluster) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const c = data.cluster;
  const rows = Object.entries(data.models).map(([id, m]) => {
    const origin = c.breakers[id];
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, id),
      el('td', {}, stateBadge(m.breaker.state)),
      el(
        'td',
        {},
        origin
          ? `${origin.state} by ${origin.by === c.instance ? `${origin.by} (this one)` : origin.by}`
          : '–',
      ),
      el('td', {}, origin ? ago(nowMs - origin.at_ms) : '–'),
    );
  });
  body.replaceChildren(
    el(
      'p',
      {},
      `Shared state: ${data.state.store}, ${data.state.connected ? 'connected' : `DEGRADED since ${data.state.degraded_since}`}. `,
      `Instances heard from: ${c.instances.join(', ')}.`,
    ),
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        {},
        el('caption', {}, "The cluster's breakers, and which instance last opened or closed each"),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'Model'),
            el('th', { scope: 'col' }, 'Breaker'),
            el('th', { scope: 'col' }, 'Last change'),
            el('th', { scope: 'col' }, 'When'),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    ),
  );
}
