import { SwitchboardError } from '../common/errors.js';
import { AnthropicProvider } from './anthropic/provider.js';
import { GeminiProvider } from './gemini/provider.js';
import { OpenAICompatibleProvider } from './openai-compatible/provider.js';
import type { ChatProvider, ProviderWire } from './types.js';

/** What an adapter needs to reach one configured provider. */
export interface ProviderSpec {
  id: string;
  type: ProviderWire;
  /** What the vendor's own SDK takes as its base URL. */
  baseUrl: string;
  /** Secret: goes only into the vendor's auth header. */
  apiKey?: string;
  headers: Readonly<Record<string, string>>;
  maxConnections: number;
  connectTimeoutMs: number;
}

/** The adapter for a provider's wire. */
export function createProvider(spec: ProviderSpec): ChatProvider {
  switch (spec.type) {
    case 'openai':
      return new OpenAICompatibleProvider(spec);
    case 'anthropic':
      return new AnthropicProvider(spec);
    case 'gemini':
      return new GeminiProvider(spec);
    default:
      throw new SwitchboardError(
        'unsupported_provider_type',
        `providers.${spec.id}: type ${spec.type} has no adapter in this build`,
      );
  }
}
