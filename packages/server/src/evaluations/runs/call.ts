// The engine's ModelCall over a registered endpoint (models/endpoint.ts): its classified result, as the engine's
// CallResult, with the usage an OpenAI-compatible body reports.
import type { Endpoint } from '../../models/endpoint.ts';
import { callEndpoint } from '../../models/endpoint.ts';
import { failureKindOfStatus } from '../runner/retry.ts';
import type { CallFailureKind, ModelCall, TokenUsage } from '../runner/types.ts';

function usageOf(value: unknown): TokenUsage | undefined {
  const usage = (value as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | null)?.usage;
  if (!usage) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return { inputTokens: n(usage.prompt_tokens), outputTokens: n(usage.completion_tokens) };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function endpointCall(
  endpoint: Endpoint,
  options: { allowedHosts?: readonly string[] | undefined } = {},
): ModelCall {
  return async (prompt, { signal, timeoutMs }) => {
    const call = await callEndpoint(endpoint, prompt, {
      signal,
      timeoutMs,
      allowedHosts: options.allowedHosts,
    });
    // The usage is in the whole body (`value` is what the response path extracts).
    if (call.ok)
      return { ok: true, raw: call.bodyText, answer: call.answer, usage: usageOf(parsed(call.bodyText)) };
    const byStatus = call.status !== null ? failureKindOfStatus(call.status) : undefined;
    const kind: CallFailureKind =
      byStatus ??
      (call.error.kind === 'timeout'
        ? 'timeout'
        : call.error.kind === 'network' || call.error.kind === 'aborted'
          ? call.transient
            ? 'network'
            : 'refused'
          : // A body that does not parse may be a hiccup; a path that does not resolve is the endpoint's set-up.
            call.transient
            ? 'malformed'
            : 'refused');
    return {
      ok: false,
      kind,
      message: call.error.message,
      status: call.status ?? undefined,
      // The engine parses Retry-After itself; callEndpoint already has it in ms.
      retryAfter: call.retryAfterMs !== undefined ? String(Math.ceil(call.retryAfterMs / 1000)) : undefined,
      raw: call.bodyText || undefined,
    };
  };
}
