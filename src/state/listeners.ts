import type { RemoteStateEvent } from '../routing/index.js';
import { decodeEvent } from './wire.js';

/** The `onRemote` listeners of a shared state. One that throws cannot stop the others. */
export class Listeners<T = RemoteStateEvent> {
  #listeners: Array<(event: T) => void> = [];

  on(listener: (event: T) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break the state store.
      }
    }
  }

  /** Decodes an event from the wire and emits it, unless it is garbage or `self` sent it. */
  emitText(this: Listeners<RemoteStateEvent>, input: unknown, self: string): void {
    const event = decodeEvent(input);
    if (event !== undefined && event.instanceId !== self) this.emit(event);
  }
}
