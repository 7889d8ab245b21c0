// The dashboard: asks for the key when the gateway wants one, then polls /dashboard/data every second,
// follows /events for the feed and refreshes the report every 15 s.
import { AuthError, errorMessage, forgetKey, get, savedKey, saveKey } from './api.js';
import { followEvents } from './events.js';
import { addToFeed, FEED_TYPES } from './feed.js';
import { renderCluster, renderModels, renderRoutes } from './render.js';
import { fetchMarkdown, renderReport } from './report.js';

const POLL_MS = 1000;
const REPORT_MS = 15_000;

const $ = (id) => document.getElementById(id);

/** Everything started for one session of the page; stopped when the key is refused or forgotten. */
let session;

async function fetchData() {
  const res = await get('/dashboard/data');
  if (!res.ok) throw new Error(await errorMessage(res));
  return res.json();
}

function showAuth(message, isError) {
  session?.stop();
  session = undefined;
  $('loading').hidden = true;
  $('content').hidden = true;
  $('conn-error').hidden = true;
  $('forget-key').hidden = true;
  $('auth').hidden = false;
  $('auth-error').textContent = isError ? message : '';
  $('auth-error').hidden = !isError;
  $('api-key').focus();
}

function showConnError(message) {
  $('loading').hidden = true;
  $('conn-error').hidden = false;
  $('conn-error').textContent = `Cannot reach the gateway: ${message}. Retrying…`;
}

function render(data) {
  const nowMs = data.now_ms;
  renderModels($('models'), data, nowMs);
  renderRoutes($('routes'), data, nowMs);
  renderCluster($('cluster'), $('cluster-body'), data, nowMs);
  const s = data.state;
  $('served-by').textContent =
    `Served by instance ${s.instance} · shared state: ${s.store}${s.connected ? '' : ' (degraded)'}`;
}

function onAuthLost(error) {
  const hadKey = savedKey() !== null;
  forgetKey();
  showAuth(
    hadKey
      ? `The gateway refused that key (HTTP ${error.status}). Check it against server.api_keys and try again.`
      : 'This gateway needs its API key.',
    hadKey,
  );
}

function startSession(first) {
  const abort = new AbortController();
  const timers = new Set();
  const later = (fn, ms) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const stop = () => {
    abort.abort();
    for (const t of timers) clearTimeout(t);
  };
  const poll = async () => {
    try {
      const data = await fetchData();
      $('conn-error').hidden = true;
      render(data);
    } catch (error) {
      if (error instanceof AuthError) return onAuthLost(error);
      showConnError(error.message);
    }
    if (!abort.signal.aborted) later(poll, POLL_MS);
  };
  const report = async () => {
    try {
      await renderReport($('report'), { ledgerOn: first.ledger.on, baseline: first.ledger.baseline });
    } catch (error) {
      if (error instanceof AuthError) return onAuthLost(error);
      $('report').textContent = `The report could not be read: ${error.message}`;
    }
    if (!abort.signal.aborted) later(report, REPORT_MS);
  };
  render(first);
  later(poll, POLL_MS);
  void report();
  $('show-markdown').hidden = !first.ledger.on;
  const feed = $('feed');
  void followEvents(`/events?type=${FEED_TYPES.join(',')}`, {
    signal: abort.signal,
    onEvent: (e) => addToFeed(feed, e),
    onStatus: (text) => {
      $('feed-status').textContent = text;
    },
    onAuthError: onAuthLost,
  });
  return { stop, baseline: first.ledger.baseline };
}

async function open() {
  try {
    const data = await fetchData();
    $('loading').hidden = true;
    $('auth').hidden = true;
    $('conn-error').hidden = true;
    $('content').hidden = false;
    $('forget-key').hidden = savedKey() === null;
    session?.stop();
    session = startSession(data);
  } catch (error) {
    if (error instanceof AuthError) return onAuthLost(error);
    showConnError(error.message);
    setTimeout(open, 2000);
  }
}

$('auth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('api-key');
  const key = input.value.trim();
  if (key === '') {
    $('auth-error').hidden = false;
    $('auth-error').textContent = 'Enter the key first.';
    return;
  }
  saveKey(key);
  input.value = '';
  void open();
});

$('forget-key').addEventListener('click', () => {
  forgetKey();
  showAuth('Key forgotten.', false);
});

let markdownUrl;
$('show-markdown').addEventListener('click', async () => {
  const pre = $('markdown');
  if (!pre.hidden) {
    pre.hidden = true;
    $('show-markdown').textContent = 'Show markdown report (30 days)';
    return;
  }
  try {
    const text = await fetchMarkdown(session?.baseline);
    pre.textContent = text;
    pre.hidden = false;
    $('show-markdown').textContent = 'Hide markdown report';
    if (markdownUrl) URL.revokeObjectURL(markdownUrl);
    markdownUrl = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
    let link = $('download-markdown');
    if (!link) {
      link = document.createElement('a');
      link.id = 'download-markdown';
      link.className = 'button';
      link.download = 'switchboard-report.md';
      link.textContent = 'Download markdown';
      $('show-markdown').after(link);
    }
    link.href = markdownUrl;
  } catch (error) {
    if (error instanceof AuthError) return onAuthLost(error);
    pre.hidden = false;
    pre.textContent = `The markdown report could not be read: ${error.message}`;
  }
});

void open();
