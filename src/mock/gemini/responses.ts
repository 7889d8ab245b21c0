/** Gemini-shaped success bodies: GenerateContentResponse for JSON answers and stream pieces. */

export interface GeminiTokens {
  prompt: number;
  candidates: number;
  cached: number;
  thoughts: number;
}

/** What one answer is about: fixed per request, shared by the JSON and SSE paths. */
export interface GeminiMeta {
  responseId: string;
  modelVersion: string;
}

type Part = { text: string } | { functionCall: { name: string; args: Record<string, unknown> } };

export function usageMetadata(tokens: GeminiTokens, final = true): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    promptTokenCount: tokens.prompt,
    totalTokenCount: tokens.prompt + (final ? tokens.candidates + tokens.thoughts : 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens.prompt }],
  };
  if (final) meta.candidatesTokenCount = tokens.candidates;
  if (tokens.cached > 0) {
    meta.cachedContentTokenCount = tokens.cached;
    meta.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: tokens.cached }];
  }
  if (final && tokens.thoughts > 0) meta.thoughtsTokenCount = tokens.thoughts;
  return meta;
}

export function candidateResponse(
  meta: GeminiMeta,
  parts: Part[],
  finishReason: string | undefined,
  usage: Record<string, unknown>,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts, role: 'model' } };
  if (finishReason) candidate.finishReason = finishReason;
  candidate.index = 0;
  return {
    candidates: [candidate],
    usageMetadata: usage,
    modelVersion: meta.modelVersion,
    responseId: meta.responseId,
  };
}

const RATINGS = [
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
];

function ratings(blocked: string) {
  return RATINGS.map((category) =>
    category === blocked
      ? { category, probability: 'HIGH', blocked: true }
      : { category, probability: 'NEGLIGIBLE' },
  );
}

/** `content-filter`: the prompt itself is blocked (no candidates, `promptFeedback.blockReason`). */
export function promptBlockedResponse(meta: GeminiMeta, tokens: GeminiTokens): Record<string, unknown> {
  return {
    promptFeedback: { blockReason: 'SAFETY', safetyRatings: ratings('HARM_CATEGORY_DANGEROUS_CONTENT') },
    usageMetadata: { promptTokenCount: tokens.prompt, totalTokenCount: tokens.prompt },
    modelVersion: meta.modelVersion,
    responseId: meta.responseId,
  };
}

/** `safety-block`: the candidate finished SAFETY and carries no content. */
export function safetyBlockedResponse(meta: GeminiMeta, tokens: GeminiTokens): Record<string, unknown> {
  return {
    candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: ratings('HARM_CATEGORY_HARASSMENT') }],
    usageMetadata: { promptTokenCount: tokens.prompt, totalTokenCount: tokens.prompt },
    modelVersion: meta.modelVersion,
    responseId: meta.responseId,
  };
}

/** `empty-choices`: a 200 with usage and no candidate. */
export function noCandidateResponse(meta: GeminiMeta, tokens: GeminiTokens): Record<string, unknown> {
  return {
    usageMetadata: usageMetadata(tokens),
    modelVersion: meta.modelVersion,
    responseId: meta.responseId,
  };
}
