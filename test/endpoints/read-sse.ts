/** Reads a whole `event:` / `data:` stream into its events (data parsed as JSON). */
export async function readSse(response: Response): Promise<Array<{ event?: string; data: unknown }>> {
  const text = await response.text();
  const events: Array<{ event?: string; data: unknown }> = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    let event: string | undefined;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    events.push({ ...(event ? { event } : {}), data: JSON.parse(data) });
  }
  return events;
}
