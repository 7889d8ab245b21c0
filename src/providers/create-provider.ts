import { SwitchboardError } from '../common/errors.js';
import { anthropicNative } from './anthropic/native-body.js';
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
      return skipAnthropicOnly(new OpenAICompatibleProvider(spec), spec.type);
    case 'anthropic':
      return new AnthropicProvider(spec);
    case 'gemini':
      return skipAnthropicOnly(new GeminiProvider(spec), spec.type);
    default:
      throw new SwitchboardError(
        'unsupported_provider_type',
        `providers.${spec.id}: type ${spec.type} has no adapter in this build`,
      );
  }
}

/**
 * A request that came in on Anthropic's wire with a field only Anthropic models can honour (a
 * document, a server tool, …) is not for this adapter: `unsupported` names the field, and the engine
 * skips the model with that reason.
 */
function skipAnthropicOnly(provider: ChatProvider, wire: ProviderWire): ChatProvider {
  const own = provider.unsupported?.bind(provider);
  provider.unsupported = (request) => {
    const only = anthropicNative(request.body)?.anthropicOnly;
    if (only) return `${only} is served only by anthropic models, not ${wire} ones`;
    return own?.(request);
  };
  return provider;
}
