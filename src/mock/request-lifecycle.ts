import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { abortableSleep } from '../common/clock.js';
import type { Fault } from './faults.js';
import { sendJson } from './http-util.js';
import type { MockState } from './state.js';
import type { MockLogEntry, MockOutcome } from './stats.js';

/** One tracked request of a simulated provider: its fault, log entry, and the ways to answer it. */
export interface RequestLifecycle {
  fault: Fault;
  entry: MockLogEntry;
  /** Records the status line about to be sent. */
  head(status: number): void;
  json(status: number, body: unknown, headers?: OutgoingHttpHeaders): void;
  settle(outcome: MockOutcome): void;
  /** Waits `ms`; false when the client went away meanwhile (stop answering). */
  wait(ms: number): Promise<boolean>;
  /** Fires when the client disconnects (created on first use). */
  signal(): AbortSignal;
}

/**
 * Samples the fault and opens the log entry for a request that just arrived, and settles it when
 * the response finishes or the client leaves: the same bookkeeping as the OpenAI wire's `handleChat`,
 * for the other wires. Every wait goes through one lazily created AbortController that fires on
 * disconnect, so no timer outlives its request.
 */
export function trackRequest(res: ServerResponse, state: MockState): RequestLifecycle {
  const fault = state.sample();
  const tracked = state.stats.open(Date.now(), state.spec);
  let controller: AbortController | undefined;
  let settled = false;
  const signal = () => {
    controller ??= new AbortController();
    return controller.signal;
  };
  const settle = (outcome: MockOutcome) => {
    if (settled) return;
    settled = true;
    state.stats.settle(tracked, outcome, Date.now());
  };
  res.on('finish', () => settle(res.statusCode >= 400 ? 'error' : 'ok'));
  res.on('close', () => {
    if (res.writableFinished) return;
    if (!state.closing) settle('aborted');
    controller?.abort();
  });
  res.on('error', () => {});
  const head = (status: number) => state.stats.status(tracked, status);
  return {
    fault,
    entry: tracked.entry,
    head,
    json: (status, body, headers) => {
      head(status);
      sendJson(res, status, body, headers);
    },
    settle,
    signal,
    wait: async (ms) => {
      if (ms > 0) {
        try {
          await abortableSleep(ms, signal());
        } catch {
          return false;
        }
      }
      return !res.destroyed && !controller?.signal.aborted;
    },
  };
}
