import type { ChatCompletionChunk, Usage } from '../../../providers/types.js';
import type { StreamResult } from '../../../routing/index.js';
import { debugView } from '../../wire/metadata-headers.js';
import { toOpenAIError } from '../../wire/to-openai-error.js';
import { outputText } from './from-engine.js';
import { itemId, type ResponseFrame, responseFrame, responseObject, statusOf } from './response-object.js';
import type { ResponsesRequest } from './validate-responses.js';

type ToolCallDelta = { index?: number; id?: string; function?: { name?: string; arguments?: string } };

interface OpenItem {
  outputIndex: number;
  item: Record<string, unknown>;
}

/**
 * The engine's chat chunk stream → the Responses event stream (`event: <type>` + `data:`, each with
 * its `sequence_number`): `response.created` and `response.in_progress`, then per output item
 * `output_item.added` … `output_item.done` (a message: `content_part.added`, `output_text.delta`s,
 * `output_text.done`, `content_part.done`; a function call: `function_call_arguments.delta`s and
 * `.done`), and `response.completed` (or `response.incomplete` on `length`) with usage. A stream that
 * breaks ends with `response.failed` carrying the error: never a `response.completed` on a
 * truncated answer.
 */
export async function* responsesFrames(
  request: ResponsesRequest,
  result: StreamResult,
  debug: boolean,
): AsyncGenerator<string> {
  const writer = new ResponsesStreamWriter(request);
  let finish: string | null | undefined;
  let usage: Usage | undefined;
  let started = false;
  try {
    for await (const chunk of result) {
      if (!started) {
        started = true;
        yield* writer.start(chunk.model);
      }
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.finish_reason) finish = choice.finish_reason;
      yield* writer.delta(choice.delta);
    }
  } catch (error) {
    if (!started) yield* writer.start(undefined);
    yield* writer.failed(error);
    return;
  }
  if (!started) yield* writer.start(undefined);
  yield* writer.finish(finish, usage, debug ? debugView(result.metadata) : undefined);
}

/** The stateful half of `responsesFrames`: the open items and the sequence numbers. */
class ResponsesStreamWriter {
  readonly #request: ResponsesRequest;
  #frame!: ResponseFrame;
  #sequence = 0;
  readonly #output: Record<string, unknown>[] = [];
  #message: (OpenItem & { text: string }) | undefined;
  /** Chat tool-call index → its open function_call item. */
  readonly #calls = new Map<number, OpenItem & { arguments: string }>();

  constructor(request: ResponsesRequest) {
    this.#request = request;
  }

  *start(model: string | undefined): Generator<string> {
    this.#frame = responseFrame(this.#request, model);
    const response = responseObject(this.#frame, 'in_progress', []);
    yield this.#event('response.created', { response });
    yield this.#event('response.in_progress', { response });
  }

  *delta(delta: ChatCompletionChunk['choices'][number]['delta']): Generator<string> {
    if (!delta) return;
    if (typeof delta.content === 'string' && delta.content !== '') yield* this.#text(delta.content);
    for (const raw of (delta.tool_calls ?? []) as ToolCallDelta[]) yield* this.#toolCall(raw);
  }

  *#text(text: string): Generator<string> {
    if (!this.#message) {
      yield* this.#closeCalls();
      const item = {
        id: itemId('msg'),
        type: 'message',
        status: 'in_progress',
        role: 'assistant',
        content: [],
      };
      this.#message = { outputIndex: this.#output.length, item, text: '' };
      this.#output.push(item);
      yield this.#event('response.output_item.added', { output_index: this.#message.outputIndex, item });
      yield this.#event('response.content_part.added', {
        ...this.#where(this.#message),
        part: outputText(''),
      });
    }
    this.#message.text += text;
    yield this.#event('response.output_text.delta', {
      ...this.#where(this.#message),
      delta: text,
      logprobs: [],
    });
  }

  *#toolCall(raw: ToolCallDelta): Generator<string> {
    const index = raw.index ?? 0;
    let open = this.#calls.get(index);
    if (!open) {
      yield* this.#closeMessage();
      const item = {
        id: itemId('fc'),
        type: 'function_call',
        status: 'in_progress',
        call_id: raw.id ?? itemId('call'),
        name: raw.function?.name ?? '',
        arguments: '',
      };
      open = { outputIndex: this.#output.length, item, arguments: '' };
      this.#calls.set(index, open);
      this.#output.push(item);
      yield this.#event('response.output_item.added', { output_index: open.outputIndex, item });
    }
    const args = raw.function?.arguments;
    if (typeof args === 'string' && args !== '') {
      open.arguments += args;
      yield this.#event('response.function_call_arguments.delta', {
        item_id: open.item.id,
        output_index: open.outputIndex,
        delta: args,
      });
    }
  }

  *#closeMessage(): Generator<string> {
    const open = this.#message;
    if (!open) return;
    this.#message = undefined;
    const part = outputText(open.text);
    yield this.#event('response.output_text.done', { ...this.#where(open), text: open.text, logprobs: [] });
    yield this.#event('response.content_part.done', { ...this.#where(open), part });
    Object.assign(open.item, { status: 'completed', content: [part] });
    yield this.#event('response.output_item.done', { output_index: open.outputIndex, item: open.item });
  }

  *#closeCalls(): Generator<string> {
    for (const open of this.#calls.values()) {
      if (open.item.status === 'completed') continue;
      Object.assign(open.item, { status: 'completed', arguments: open.arguments });
      yield this.#event('response.function_call_arguments.done', {
        item_id: open.item.id,
        output_index: open.outputIndex,
        name: open.item.name,
        arguments: open.arguments,
      });
      yield this.#event('response.output_item.done', { output_index: open.outputIndex, item: open.item });
    }
  }

  *finish(finish: string | null | undefined, usage: Usage | undefined, debug: unknown): Generator<string> {
    yield* this.#closeMessage();
    yield* this.#closeCalls();
    const { status, incompleteReason } = statusOf(finish);
    const response = responseObject(this.#frame, status, this.#output, {
      ...(usage ? { usage } : {}),
      ...(incompleteReason ? { incompleteReason } : {}),
    });
    const type = status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    yield this.#event(type, { response: debug ? { ...response, switchboard: debug } : response });
  }

  /** The stream broke past the commit point: the answer so far is not complete, and says so. */
  *failed(error: unknown): Generator<string> {
    const { code, message } = toOpenAIError(error).body.error;
    const response = responseObject(this.#frame, 'failed', this.#output, {
      error: { code: code ?? 'server_error', message },
    });
    yield this.#event('response.failed', { response });
  }

  #where(open: OpenItem) {
    return { item_id: open.item.id, output_index: open.outputIndex, content_index: 0 };
  }

  #event(type: string, fields: Record<string, unknown>): string {
    const data = { type, sequence_number: this.#sequence++, ...fields };
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}
