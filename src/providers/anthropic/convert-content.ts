import { Untranslatable } from './untranslatable.js';
import type { CacheControl, ImageBlock, TextBlock } from './wire-types.js';

type Part = Record<string, unknown>;

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/**
 * OpenAI content (a string or an array of parts) → Anthropic text and image blocks. Empty text is
 * left out (Anthropic refuses empty text blocks). A part's `cache_control` (the prompt-caching marker
 * some OpenAI clients already send) is kept. `where` names the content in errors (`messages[2].content`).
 */
export function convertContent(
  content: unknown,
  where: string,
  allowImages: boolean,
): Array<TextBlock | ImageBlock> {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new Untranslatable(where, content);
  const blocks: Array<TextBlock | ImageBlock> = [];
  content.forEach((raw, i) => {
    const at = `${where}[${i}]`;
    if (typeof raw === 'string') {
      if (raw !== '') blocks.push({ type: 'text', text: raw });
      return;
    }
    if (typeof raw !== 'object' || raw === null) throw new Untranslatable(at, raw);
    const part = raw as Part;
    const cache = cacheControl(part.cache_control, at);
    if (part.type === 'text' || part.type === 'refusal') {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (typeof text !== 'string') throw new Untranslatable(`${at}.${String(part.type)}`, text);
      if (text !== '') blocks.push({ type: 'text', text, ...cache });
      return;
    }
    if (part.type === 'image_url' && allowImages) {
      blocks.push({ ...imageBlock(part.image_url, `${at}.image_url`), ...cache });
      return;
    }
    throw new Untranslatable(`${at}.type`, part.type);
  });
  return blocks;
}

function cacheControl(value: unknown, at: string): { cache_control?: CacheControl } {
  if (value === undefined || value === null) return {};
  const v = value as { type?: unknown; ttl?: unknown };
  if (typeof value !== 'object' || v.type !== 'ephemeral')
    throw new Untranslatable(`${at}.cache_control`, value);
  return {
    cache_control: typeof v.ttl === 'string' ? { type: 'ephemeral', ttl: v.ttl } : { type: 'ephemeral' },
  };
}

/** `{url}`: a base64 data URL becomes a base64 source, an http(s) URL a url source. `detail` has no counterpart. */
function imageBlock(value: unknown, at: string): ImageBlock {
  const url = typeof value === 'string' ? value : (value as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') throw new Untranslatable(`${at}.url`, url);
  const data = DATA_URL.exec(url);
  if (data) {
    const mediaType = (data[1] as string).toLowerCase();
    if (!IMAGE_TYPES.has(mediaType)) {
      throw new Untranslatable(`${at}.url`, `data:${mediaType}`, 'images are jpeg, png, gif or webp');
    }
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data: data[2] as string } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new Untranslatable(`${at}.url`, url, 'a base64 data URL or an http(s) URL');
}
