import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmbeddingConfig } from '../embedding-vectors.js';
import { sendJson } from '../http-util.js';
import type { MockState } from '../state.js';
import { googleError } from './errors.js';
import { handleEmbed } from './handle-embed.js';
import { type GeminiConfig, handleGenerate } from './handle-generate.js';

/** `/v1beta/models/{model}:{method}` (the SDK's paths; `v1` is accepted too). */
const GENERATE_PATH =
  /^\/(?:v1beta|v1)\/models\/([^/:]+(?:\/[^/:]+)*):(generateContent|streamGenerateContent)$/;

/** `/v1beta/models/{model}:batchEmbedContents` and `:embedContent`. */
const EMBED_PATH = /^\/(?:v1beta|v1)\/models\/([^/:]+(?:\/[^/:]+)*):(batchEmbedContents|embedContent)$/;

/**
 * The Gemini API's routes: generateContent, streamGenerateContent (`alt=sse`; Gemini's other stream
 * form, a JSON array, is not simulated and answers 400), the model list, and Google-shaped 404s.
 * Returns false for a path it does not serve (the caller's own routes, e.g. /__stats, come first).
 */
export function routeGemini(
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  cfg: GeminiConfig,
  onError: () => void,
  embedding?: EmbeddingConfig,
): void {
  const url = new URL(req.url ?? '/', 'http://mock');
  const method = req.method ?? 'GET';
  const embed = EMBED_PATH.exec(url.pathname);
  if (method === 'POST' && embed && embedding) {
    const model = decodeURIComponent(embed[1]!);
    handleEmbed(req, res, state, embedding, { model, batch: embed[2] === 'batchEmbedContents' }).catch(
      onError,
    );
    return;
  }
  const match = GENERATE_PATH.exec(url.pathname);
  if (method === 'POST' && match) {
    const stream = match[2] === 'streamGenerateContent';
    if (stream && url.searchParams.get('alt') !== 'sse') {
      sendJson(res, 400, googleError(400, 'This simulator streams only with alt=sse.'));
      return;
    }
    const model = decodeURIComponent(match[1]!);
    handleGenerate(req, res, state, cfg, { model, stream }).catch(onError);
    return;
  }
  if (method === 'GET' && (url.pathname === '/v1beta/models' || url.pathname === '/v1/models')) {
    sendJson(res, 200, {
      models: [
        {
          name: `models/${cfg.name}`,
          displayName: cfg.name,
          supportedGenerationMethods: [
            'generateContent',
            'countTokens',
            'embedContent',
            'batchEmbedContents',
          ],
        },
      ],
    });
    return;
  }
  const shown = url.pathname.length > 200 ? `${url.pathname.slice(0, 200)}…` : url.pathname;
  sendJson(res, 404, googleError(404, `Invalid URL (${method} ${shown})`));
}
