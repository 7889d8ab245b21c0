/** Reading server-sent events in tests. */

/** The `data:` payloads of an SSE text, in order (`[DONE]` included). */
export function parseSseData(text: string): string[] {
  const out: string[] = [];
  for (const event of text.split('\n\n')) {
    for (const line of event.split('\n')) {
      if (line.startsWith('data:')) out.push(line.slice(5).trimStart());
    }
  }
  return out;
}

/** Reads a body to its end or to its first error, returning what arrived before it. */
export async function readUntilError(res: Response): Promise<{ text: string; error?: unknown }> {
  if (!res.body) return { text: '' };
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode() };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}
