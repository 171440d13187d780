// Endpoint presets: what `preset` expands to. openai-chat is the OpenAI chat completions request most servers
// speak (vLLM, llama.cpp, Ollama, LM Studio, LiteLLM, OpenAI itself).
import { type EndpointPreset, PROMPT_PLACEHOLDER } from '@jury/api';

export interface PresetInput {
  preset: EndpointPreset;
  model?: string | undefined;
  apiKey?: string | undefined;
  systemPrompt?: string | undefined;
  maxTokens?: number | undefined;
  temperature?: number | undefined;
}

export interface PresetExpansion {
  bodyTemplate: string;
  responsePath: (string | number)[];
  /** Headers the preset sets (Authorization from apiKey); the others are the caller's. */
  headers: Record<string, string>;
}

export const PRESETS: Record<EndpointPreset, (input: PresetInput) => PresetExpansion> = {
  'openai-chat': (input) => ({
    bodyTemplate: JSON.stringify(
      {
        model: input.model ?? '',
        messages: [
          ...(input.systemPrompt !== undefined ? [{ role: 'system', content: input.systemPrompt }] : []),
          { role: 'user', content: PROMPT_PLACEHOLDER },
        ],
        ...(input.maxTokens !== undefined ? { max_tokens: input.maxTokens } : {}),
        ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      },
      null,
      2,
    ),
    responsePath: ['json', 'choices', 0, 'message', 'content'],
    headers: (input.apiKey !== undefined ? { Authorization: `Bearer ${input.apiKey}` } : {}) as Record<
      string,
      string
    >,
  }),
};

export function expandPreset(input: PresetInput): PresetExpansion {
  return PRESETS[input.preset](input);
}
