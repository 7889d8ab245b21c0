import type { ChatRequestBody } from '../../providers/types.js';
import { UpstreamError } from '../../providers/upstream-error.js';
import { HedgeLost } from '../errors.js';
import type { Begun, EngineDeps, Target } from '../types.js';
import { walkChain } from '../walk/walk.js';
import { type Opened, openAttempt } from './open-attempt.js';

export type RecoveryMode = 'prefill' | 'restart';

/** The instruction that goes with a prefilled partial answer. */
export const CONTINUE_INSTRUCTION =
  'The assistant message that follows was cut off. Continue it from exactly where it stops: do not repeat any of it, do not start over.';

/** Asks a model to continue: the partial answer as a trailing assistant message (prefill). */
export function prefillBody(body: ChatRequestBody, partial: string): ChatRequestBody {
  return {
    ...body,
    messages: [
      ...body.messages,
      { role: 'system', content: CONTINUE_INSTRUCTION },
      { role: 'assistant', content: partial },
    ],
  };
}

/** For models that take no prefill: the partial answer as context, and a user instruction to go on. */
export function restartBody(body: ChatRequestBody, partial: string): ChatRequestBody {
  return {
    ...body,
    messages: [
      ...body.messages,
      { role: 'assistant', content: partial },
      {
        role: 'user',
        content:
          'Your previous reply was cut off mid-answer. Continue it from exactly where it stops. Do not repeat anything you already wrote and do not start over.',
      },
    ],
  };
}

/**
 * Carries a broken stream on with the models after `brokenModel` in the chain. A model that rejects
 * the prefill with a client error is remembered as such and asked again with a restart instruction,
 * in the same attempt; client errors during recovery fall back rather than reach the caller.
 */
export async function continueStream(
  deps: EngineDeps,
  begun: Begun,
  body: ChatRequestBody,
  brokenModel: string,
  partial: string,
  wantsUsage: boolean,
): Promise<{ opened: Opened; target: Target; mode: RecoveryMode }> {
  const { ctx, plan } = begun;
  const chain = plan.chain.slice(plan.chain.indexOf(brokenModel) + 1);
  ctx.restartDeadline();
  try {
    const { value, target } = await walkChain(
      deps,
      ctx,
      {
        chain,
        body,
        fallbackOnContentPolicy: plan.fallbackOnContentPolicy,
        fallbackOnClientError: true,
        estimatedTokens: plan.estimatedTokens,
      },
      async (t, attempt) => {
        if (deps.health.acceptsPrefill(t.model.id)) {
          try {
            return {
              opened: await openAttempt(ctx, t, attempt, prefillBody(body, partial), wantsUsage),
              mode: 'prefill' as const,
            };
          } catch (error) {
            if (!(error instanceof UpstreamError) || error.kind !== 'client') throw error;
          }
          // Learnt only if the restart is taken: a model that refuses both refused the request, not the prefill.
          const opened = await openAttempt(ctx, t, attempt, restartBody(body, partial), wantsUsage);
          deps.health.learnNoPrefill(t.model.id);
          return { opened, mode: 'restart' as const };
        }
        return {
          opened: await openAttempt(ctx, t, attempt, restartBody(body, partial), wantsUsage),
          mode: 'restart' as const,
        };
      },
      (lost) => lost.opened.attempt.abort(new HedgeLost()),
    );
    return { ...value, target };
  } finally {
    ctx.scope.disarm();
  }
}
