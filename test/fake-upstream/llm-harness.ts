import pino from 'pino';
import { expect } from 'vitest';
import { type Config, loadConfig } from '../../src/server/config';
import { createLlm, type LlmOptions } from '../../src/server/llm/registry';
import { type Llm, LlmError, type StreamEvent, type StreamRequest } from '../../src/server/llm/types';
import type { FakeUpstream } from './server';

// Builds a real registry pointed at the fake upstream, and drains streams while checking that each
// one ends with exactly one finish event or an LlmError.

export interface WireProtocol {
  name: 'openai' | 'anthropic' | 'compatible';
  model: string;
  env(fake: FakeUpstream): Record<string, string>;
}

export const wireProtocols: WireProtocol[] = [
  {
    name: 'openai',
    model: 'openai:gpt-4o-mini',
    env: (f) => ({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: f.openaiBaseURL }),
  },
  {
    name: 'anthropic',
    model: 'anthropic:claude-sonnet-4-5',
    // Without /v1 on purpose: the registry appends it.
    env: (f) => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: f.url }),
  },
  {
    name: 'compatible',
    model: 'local:fake-model',
    env: (f) => ({
      OPENAI_COMPATIBLE_PROVIDERS: JSON.stringify([
        { name: 'local', baseURL: f.openaiBaseURL, models: ['fake-model'] },
      ]),
    }),
  },
];

/**
 * Each wire protocol on both threads a plain-text call can take: the model worker (the default)
 * and the server's own thread (MODEL_WORKER=false).
 */
export const wireProtocolsAndThreads = wireProtocols.flatMap((p) =>
  (['model worker', 'server thread'] as const).map((thread) => ({
    ...p,
    thread,
    env: (f: FakeUpstream) => ({ ...p.env(f), MODEL_WORKER: thread === 'model worker' ? 'true' : 'false' }),
  })),
);

export interface Harness {
  llm: Llm;
  /** The configuration the registry was built from (judges read EVAL_JUDGE_MODEL from it). */
  config: Config;
  /** Backoff waits the registry asked for, in order (they resolve at once). */
  sleeps: number[];
}

export function llmFor(env: Record<string, string>, options: LlmOptions = {}): Harness {
  const sleeps: number[] = [];
  const config = loadConfig({ LOG_LEVEL: 'silent', OLLAMA_DETECT: 'false', ...env });
  const llm = createLlm(config, pino({ level: 'silent' }), {
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
  return { llm, config, sleeps };
}

export interface Outcome {
  events: StreamEvent[];
  text: string;
  finish: Extract<StreamEvent, { type: 'finish' }> | null;
  error: LlmError | null;
}

export const baseRequest = (): StreamRequest => ({
  system: 'SYSTEM PROMPT under test',
  messages: [{ role: 'user', content: 'What changed this week?' }],
  offline: () => 'offline answer',
});

/** Drains a stream; `onEvent` may act mid-stream (abort) or return true to stop reading early. */
export async function drain(
  llm: Llm,
  req: Partial<StreamRequest> = {},
  onEvent?: (e: StreamEvent) => boolean | undefined,
): Promise<Outcome> {
  const events: StreamEvent[] = [];
  let error: LlmError | null = null;
  try {
    for await (const e of llm.stream({ ...baseRequest(), ...req })) {
      events.push(e);
      if (onEvent?.(e)) break;
    }
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    error = err;
  }
  const finishes = events.filter((e) => e.type === 'finish');
  const stoppedEarly = onEvent !== undefined && error === null && finishes.length === 0;
  if (!stoppedEarly) {
    // The contract: exactly one finish, last, or an LlmError and no finish at all.
    if (error) expect(finishes).toEqual([]);
    else {
      expect(finishes).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('finish');
    }
  }
  return {
    events,
    text: events.map((e) => (e.type === 'text' ? e.text : '')).join(''),
    finish: (finishes[0] as Outcome['finish']) ?? null,
    error,
  };
}
