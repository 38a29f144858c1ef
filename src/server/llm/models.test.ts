import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drain } from '../../../test/fake-upstream/llm-harness';
import { type FakeUpstream, startFakeUpstream } from '../../../test/fake-upstream/server';
import { ADMIN_PASSWORD, signIn, startTestApp } from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import type { ModelsResponse } from '../../shared/models';
import { loadConfig } from '../config';
import { OFFLINE_INFO } from './offline';
import { createLlm, type LlmOptions } from './registry';

// Which models are listed, which one is the default, and GET /api/models on both engines.

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream({
    ollamaModels: ['llama3.2:latest', 'qwen3:8b'],
    models: ['served-a', 'served-b'],
  });
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

function registry(env: Record<string, string>, options: LlmOptions = {}) {
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
  const config = loadConfig({ OLLAMA_DETECT: 'false', ...env });
  return { llm: createLlm(config, log, { discoveryTimeoutMs: 500, ...options }), warnings };
}

const offline = (isDefault: boolean) => ({ ...OFFLINE_INFO, default: isDefault });

describe('the registry', () => {
  it('lists only the offline model, as the default, when nothing is configured', async () => {
    const { llm } = registry({});
    expect(await llm.listModels()).toEqual([offline(true)]);
    expect(llm.defaultModel()).toBe('offline:demo');
  });

  it("lists a configured provider's catalog models with prices and picks its preferred default", async () => {
    const { llm } = registry({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.openaiBaseURL });
    const models = await llm.listModels();
    expect(models.at(-1)).toEqual(offline(false));
    expect(models.every((m) => m.configured)).toBe(true);
    expect(models.find((m) => m.id === 'openai:gpt-4.1-mini')).toEqual({
      id: 'openai:gpt-4.1-mini',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      label: 'GPT-4.1 mini',
      context_window: 1_047_576,
      input_price_per_mtok: 0.4,
      output_price_per_mtok: 1.6,
      configured: true,
      offline: false,
      default: true,
    });
    expect(models.filter((m) => m.default).map((m) => m.id)).toEqual(['openai:gpt-4.1-mini']);
    expect(models.some((m) => m.provider === 'anthropic')).toBe(false);
    const all = await llm.listModels({ all: true });
    expect(all.filter((m) => m.provider === 'anthropic').every((m) => !m.configured)).toBe(true);
    expect(all.some((m) => m.id === 'anthropic:claude-sonnet-4-5')).toBe(true);
  });

  it('uses DEFAULT_MODEL and gives an unknown model null prices and a conservative window', async () => {
    const { llm } = registry({
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
      DEFAULT_MODEL: 'anthropic:claude-next',
    });
    expect(llm.defaultModel()).toBe('anthropic:claude-next');
    const expected = {
      id: 'anthropic:claude-next',
      provider: 'anthropic',
      model: 'claude-next',
      label: 'anthropic:claude-next',
      context_window: 8192,
      input_price_per_mtok: null,
      output_price_per_mtok: null,
      configured: true,
      offline: false,
      default: true,
    };
    expect(llm.modelInfo('anthropic:claude-next')).toEqual(expected);
    expect((await llm.listModels()).filter((m) => m.default)).toEqual([expected]);
    const { finish } = await drain(llm, { offline: () => '' });
    expect(finish).toMatchObject({ model: 'anthropic:claude-next', cost_usd: null });
  });

  it('falls back to offline:demo with a warning when DEFAULT_MODEL names an unconfigured provider', async () => {
    const { llm, warnings } = registry({ DEFAULT_MODEL: 'openai:gpt-4.1' });
    expect(llm.defaultModel()).toBe('offline:demo');
    await llm.listModels();
    expect(warnings).toEqual([
      'DEFAULT_MODEL "openai:gpt-4.1" names a provider that is not configured; using offline:demo',
    ]);
  });

  it('detects a local Ollama at start, lists its models and streams from them', async () => {
    const { llm } = registry(
      { OLLAMA_DETECT: 'true', DEFAULT_MODEL: 'ollama:qwen3:8b' },
      { ollamaDetectURL: fake.url },
    );
    const models = await llm.listModels();
    expect(models.map((m) => [m.id, m.context_window, m.input_price_per_mtok, m.default])).toEqual([
      ['ollama:llama3.2:latest', 4096, null, false],
      ['ollama:qwen3:8b', 4096, null, true],
      ['offline:demo', 128_000, 0, false],
    ]);
    const { finish } = await drain(llm, { model: 'ollama:llama3.2:latest' });
    expect(finish?.model).toBe('ollama:llama3.2:latest');
    expect(fake.modelRequests().map((r) => [r.path, r.body.model])).toEqual([
      ['/v1/chat/completions', 'llama3.2:latest'],
    ]);
  });

  it('lists no Ollama when none answers, and says so about a DEFAULT_MODEL naming it', async () => {
    const { llm, warnings } = registry(
      { OLLAMA_DETECT: 'true', DEFAULT_MODEL: 'ollama:llama3.2' },
      { ollamaDetectURL: 'http://127.0.0.1:9' },
    );
    expect(await llm.listModels()).toEqual([offline(true)]);
    expect(warnings).toEqual([
      'DEFAULT_MODEL "ollama:llama3.2" names a provider that is not configured; using offline:demo',
    ]);
  });

  it("reads a compatible server's model list when none is configured, and ignores built-in names", async () => {
    const { llm, warnings } = registry({
      OPENAI_COMPATIBLE_PROVIDERS: JSON.stringify([
        { name: 'vllm', baseURL: fake.openaiBaseURL, apiKey: 'vk' },
        { name: 'openai', baseURL: fake.openaiBaseURL },
      ]),
    });
    const models = await llm.listModels();
    expect(models.map((m) => [m.id, m.label, m.input_price_per_mtok, m.default])).toEqual([
      ['vllm:served-a', 'vllm:served-a', null, true],
      ['vllm:served-b', 'vllm:served-b', null, false],
      ['offline:demo', OFFLINE_INFO.label, 0, false],
    ]);
    expect(warnings).toEqual([
      'OPENAI_COMPATIBLE_PROVIDERS: "openai" is a built-in provider name; entry ignored',
    ]);
    expect(fake.requests.find((r) => r.path === '/v1/models')?.headers.authorization).toBe('Bearer vk');
  });
});

describe.each(dialects)('GET /api/models ($dialect)', ({ create }) => {
  it('lists the offline model alone when no provider is configured', async () => {
    const t = await startTestApp(await create());
    try {
      const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
      const res = await admin('GET', '/api/models');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ models: [offline(true)], default_model: 'offline:demo' });
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/models' });
      expect(anonymous.statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('lists configured providers, the default, and with all=true the unconfigured catalog', async () => {
    const t = await startTestApp(await create(), {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.openaiBaseURL,
      DEFAULT_MODEL: 'openai:gpt-4o-mini',
    });
    try {
      const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
      const body = (await admin('GET', '/api/models')).json() as ModelsResponse;
      expect(body.default_model).toBe('openai:gpt-4o-mini');
      expect(new Set(body.models.map((m) => m.provider))).toEqual(new Set(['openai', 'offline']));
      expect(body.models.filter((m) => m.default).map((m) => m.id)).toEqual(['openai:gpt-4o-mini']);
      const all = (await admin('GET', '/api/models?all=true')).json() as ModelsResponse;
      expect(all.models.find((m) => m.id === 'anthropic:claude-haiku-4-5')).toMatchObject({
        configured: false,
        input_price_per_mtok: 1,
        output_price_per_mtok: 5,
      });
      expect((await admin('GET', '/api/models?all=maybe')).statusCode).toBe(400);
    } finally {
      await t.close();
    }
  });
});
