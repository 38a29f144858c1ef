import { LlmError, type ModelInfo, type StreamEvent, type StreamRequest } from './types';

// The offline demo: deterministic text the caller supplies, streamed like a model's answer.
// It is never presented as AI: its label says so and every finish event carries offline: true.

export const OFFLINE_ID = 'offline:demo';

export const OFFLINE_INFO: ModelInfo = {
  id: OFFLINE_ID,
  provider: 'offline',
  model: 'demo',
  label: 'Offline demo (deterministic, not AI)',
  context_window: 128_000,
  input_price_per_mtok: 0,
  output_price_per_mtok: 0,
  configured: true,
  offline: true,
  default: false,
};

export async function* offlineStream(req: StreamRequest): AsyncGenerator<StreamEvent> {
  const started = performance.now();
  const text = req.offline();
  let firstTokenMs: number | null = null;
  for (const piece of text.match(/[\s\S]{1,80}/g) ?? []) {
    if (req.signal?.aborted) throw new LlmError(`${OFFLINE_ID}: the request was cancelled`, 'aborted');
    firstTokenMs ??= Math.round(performance.now() - started);
    yield { type: 'text', text: piece };
  }
  yield {
    type: 'finish',
    model: OFFLINE_ID,
    offline: true,
    usage: { input_tokens: null, output_tokens: null },
    cost_usd: 0,
    first_token_ms: firstTokenMs ?? Math.round(performance.now() - started),
    finish_reason: 'stop',
  };
}
