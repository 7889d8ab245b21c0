import { isRecord, Untranslatable } from './untranslatable.js';
import type { GeminiPart } from './wire-types.js';

/** Image types Gemini reads, by the file extension of an https URL. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  gif: 'image/gif',
};
const AUDIO_TYPES: Readonly<Record<string, string>> = { wav: 'audio/wav', mp3: 'audio/mp3' };
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[^;,]*)*;base64,(.*)$/s;

/** One OpenAI content part of a user message as a Gemini part. `path` names it in errors. */
export function convertContentPart(part: unknown, path: string): GeminiPart {
  if (!isRecord(part)) throw new Untranslatable(`${path}: a content part that is not an object`);
  switch (part.type) {
    case 'text':
      if (typeof part.text !== 'string')
        throw new Untranslatable(`${path}.text: a text that is not a string`);
      return { text: part.text };
    case 'image_url':
      return imagePart(part.image_url, `${path}.image_url`);
    case 'input_audio': {
      const audio = isRecord(part.input_audio) ? part.input_audio : {};
      const mimeType = typeof audio.format === 'string' ? AUDIO_TYPES[audio.format] : undefined;
      if (!mimeType || typeof audio.data !== 'string') {
        throw new Untranslatable(`${path}.input_audio: audio other than base64 wav or mp3`);
      }
      return { inlineData: { mimeType, data: audio.data } };
    }
    case 'file': {
      const file = isRecord(part.file) ? part.file : {};
      const match = typeof file.file_data === 'string' ? DATA_URL.exec(file.file_data) : null;
      if (!match) throw new Untranslatable(`${path}.file: a file other than a base64 data URL (file_id)`);
      return { inlineData: { mimeType: match[1]!, data: match[2]! } };
    }
    default:
      throw new Untranslatable(`${path}: content part type ${JSON.stringify(part.type)}`);
  }
}

function imagePart(image: unknown, path: string): GeminiPart {
  if (!isRecord(image) || typeof image.url !== 'string')
    throw new Untranslatable(`${path}: an image without url`);
  if (image.detail !== undefined && image.detail !== 'auto') {
    throw new Untranslatable(`${path}.detail: ${JSON.stringify(image.detail)}`);
  }
  const url = image.url;
  if (url.startsWith('data:')) {
    const match = DATA_URL.exec(url);
    if (!match) throw new Untranslatable(`${path}.url: a data URL that is not base64`);
    return { inlineData: { mimeType: match[1]!, data: match[2]! } };
  }
  if (!url.startsWith('https://'))
    throw new Untranslatable(`${path}.url: an image URL that is not https or data`);
  const mimeType = imageTypeOf(url);
  if (!mimeType) {
    throw new Untranslatable(
      `${path}.url: an https image URL whose file extension does not name its type (png, jpeg, webp, heic, heif, gif)`,
    );
  }
  return { fileData: { mimeType, fileUri: url } };
}

function imageTypeOf(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const dot = pathname.lastIndexOf('.');
  return dot === -1 ? undefined : IMAGE_TYPES[pathname.slice(dot + 1).toLowerCase()];
}
