import type { ChatCompletionChunk } from '../types.js';
import { blockedError } from './blocked.js';
import type { ResponseContext } from './convert-response.js';
import { mapFinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';
import { readCandidate } from './read-candidate.js';
import type { GeminiResponse, GeminiUsageMetadata } from './wire-types.js';

interface ChoiceState {
  roleSent: boolean;
  toolCalls: number;
}

/**
 * Turns the `GenerateContentResponse`s of a `streamGenerateContent?alt=sse` body, one `data:` at a time,
 * into OpenAI `chat.completion.chunk`s: text pieces as `content` deltas, each (whole) function call as one
 * `tool_calls` delta carrying its full arguments, the finish reason on the piece that has it, and at the
 * end one usage chunk (`choices: []`) from the last `usageMetadata` seen (Gemini repeats it, cumulative).
 * A blocked prompt, or a policy finish before any content, throws a `content_policy` UpstreamError.
 */
export class StreamConverter {
  readonly #context: ResponseContext;
  readonly #choices = new Map<number, ChoiceState>();
  #id: string | undefined;
  #model: string | undefined;
  #usage: GeminiUsageMetadata | undefined;
  #content = false;
  #finished = false;

  constructor(context: ResponseContext) {
    this.#context = context;
  }

  /** Whether some candidate has finished (the stream may end cleanly now). */
  get finished(): boolean {
    return this.#finished;
  }

  push(response: GeminiResponse): ChatCompletionChunk[] {
    if (!this.#content) {
      const blocked = blockedError(response);
      if (blocked) throw blocked;
    } else if (response.promptFeedback?.blockReason) {
      const blocked = blockedError(response);
      if (blocked) throw blocked;
    }
    this.#id ??=
      typeof response.responseId === 'string' && response.responseId
        ? response.responseId
        : this.#context.fallbackId;
    this.#model ??= response.modelVersion ?? this.#context.model;
    if (response.usageMetadata && typeof response.usageMetadata === 'object')
      this.#usage = response.usageMetadata;
    const out: ChatCompletionChunk[] = [];
    (response.candidates ?? []).forEach((candidate, i) => {
      const index = typeof candidate.index === 'number' ? candidate.index : i;
      let state = this.#choices.get(index);
      if (!state) {
        state = { roleSent: false, toolCalls: 0 };
        this.#choices.set(index, state);
      }
      const { text, toolCalls } = readCandidate(candidate, this.#id!, state.toolCalls);
      const delta: NonNullable<ChatCompletionChunk['choices'][number]['delta']> = {};
      if (!state.roleSent) delta.role = 'assistant';
      if (text !== undefined && (text !== '' || !state.roleSent)) delta.content = text;
      if (toolCalls.length > 0) {
        delta.tool_calls = toolCalls.map((call, k) => ({ index: state.toolCalls + k, ...call }));
        state.toolCalls += toolCalls.length;
      }
      if (text || toolCalls.length > 0) this.#content = true;
      const finish = candidate.finishReason
        ? mapFinishReason(candidate.finishReason, state.toolCalls > 0)
        : null;
      if (finish) this.#finished = true;
      if (Object.keys(delta).length === 0 && !finish) return;
      state.roleSent = true;
      out.push(this.#chunk([{ index, delta, finish_reason: finish }]));
    });
    return out;
  }

  /** The closing usage chunk, when Gemini reported usage. */
  end(): ChatCompletionChunk[] {
    const usage = mapUsage(this.#usage);
    return usage ? [{ ...this.#chunk([]), usage }] : [];
  }

  #chunk(choices: ChatCompletionChunk['choices']): ChatCompletionChunk {
    return {
      id: this.#id ?? this.#context.fallbackId,
      object: 'chat.completion.chunk',
      created: this.#context.createdS,
      model: this.#model ?? this.#context.model,
      choices,
    };
  }
}
