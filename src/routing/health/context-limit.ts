/** What an upstream's context-length error says about the model's window. */
export interface ContextLimit {
  /** The model's context window, tokens. */
  windowTokens: number;
  /** The prompt's size as the upstream counted it, when the message says. */
  promptTokens?: number;
}

const n = (text: string | undefined) => (text === undefined ? Number.NaN : Number(text.replace(/[,_]/g, '')));

/**
 * The vendors' documented wording of a prompt that does not fit (they have no code for the numbers):
 * - OpenAI and compatible servers: "This model's maximum context length is 8192 tokens. However, your
 *   messages resulted in 9000 tokens…" (vLLM: "…is 4096 tokens. However, you requested 5000 tokens…");
 * - Anthropic: "prompt is too long: 210000 tokens > 200000 maximum";
 * - Gemini: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."
 */
const PATTERNS: ReadonlyArray<{ re: RegExp; window: number; prompt?: number }> = [
  { re: /prompt is too long:\s*([\d,]+)\s*tokens?\s*>\s*([\d,]+)\s*maximum/i, window: 2, prompt: 1 },
  {
    re: /input token count\s*\(?\s*([\d,]+)\s*\)?\s*exceeds the maximum number of tokens allowed\s*\(?\s*([\d,]+)/i,
    window: 2,
    prompt: 1,
  },
  {
    re: /maximum context length is\s*([\d,]+)\s*tokens?(?:[^\d]{0,80}?(?:resulted in|requested|you have)\s*([\d,]+)\s*tokens?)?/i,
    window: 1,
    prompt: 2,
  },
  { re: /context (?:window|length) (?:of|is)\s*([\d,]+)\s*tokens/i, window: 1 },
];

/** Parses a context-length error message (pure); undefined when it names no window. */
export function parseContextLimit(message: string | undefined | null): ContextLimit | undefined {
  if (typeof message !== 'string' || message === '') return undefined;
  for (const pattern of PATTERNS) {
    const match = pattern.re.exec(message);
    if (!match) continue;
    const windowTokens = n(match[pattern.window]);
    if (!Number.isSafeInteger(windowTokens) || windowTokens <= 0) continue;
    const promptTokens = pattern.prompt === undefined ? Number.NaN : n(match[pattern.prompt]);
    return Number.isSafeInteger(promptTokens) && promptTokens > 0
      ? { windowTokens, promptTokens }
      : { windowTokens };
  }
  return undefined;
}
