import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import { buildModel, type FetchFunction, type ProviderSpec } from './provider-models';

// The configured providers: how to build a language model for each, and which models they list.

export type { FetchFunction } from './provider-models';

export interface Provider {
  name: string;
  kind: 'openai' | 'anthropic' | 'ollama' | 'compatible';
  /** Models discovered or configured beyond the catalog (Ollama tags, a compatible server's list). */
  models: string[];
  /** What `model` is built from, as data (the model worker builds it too). */
  spec: ProviderSpec;
  /** Builds the model; `fetch` carries the per-attempt connect timeout. */
  model(modelId: string, fetch: FetchFunction): LanguageModelV3;
}

export const BUILT_IN = ['openai', 'anthropic', 'ollama', 'offline'];

export interface DiscoveryOptions {
  /** Where Ollama is probed when OLLAMA_DETECT is on and OLLAMA_HOST is unset. */
  ollamaDetectURL: string;
  discoveryTimeoutMs: number;
}

/**
 * Providers known from config alone, plus a promise of those found at start (a detected Ollama)
 * and of model lists fetched from the servers (Ollama tags, compatible `/models`).
 */
export function configuredProviders(
  config: Config,
  log: FastifyBaseLogger,
  o: DiscoveryOptions,
): { providers: Map<string, Provider>; discovered: Promise<void> } {
  const providers = new Map<string, Provider>();
  const pending: Promise<unknown>[] = [];

  if (config.openai.apiKey) {
    const { apiKey, baseURL } = config.openai;
    providers.set(
      'openai',
      withModel({
        name: 'openai',
        kind: 'openai',
        models: [],
        spec: { kind: 'openai', apiKey, baseURL: trimSlash(baseURL) },
      }),
    );
  }
  if (config.anthropic.apiKey) {
    const { apiKey } = config.anthropic;
    const baseURL = config.anthropic.baseURL ? withV1(config.anthropic.baseURL) : undefined;
    providers.set(
      'anthropic',
      withModel({
        name: 'anthropic',
        kind: 'anthropic',
        models: [],
        spec: { kind: 'anthropic', apiKey, baseURL },
      }),
    );
  }

  const ollamaRoot = config.ollama.host
    ? trimSlash(config.ollama.host).replace(/\/v1$/, '')
    : config.ollama.detect
      ? trimSlash(o.ollamaDetectURL)
      : null;
  if (ollamaRoot) {
    const ollama = withModel({
      name: 'ollama',
      kind: 'ollama',
      models: [],
      spec: { kind: 'ollama', name: 'ollama', baseURL: `${ollamaRoot}/v1`, apiKey: undefined },
    });
    // A configured host is usable even when its list cannot be read; a detected one only if it answers.
    if (config.ollama.host) providers.set('ollama', ollama);
    pending.push(
      listJson(`${ollamaRoot}/api/tags`, undefined, o.discoveryTimeoutMs).then(
        (body: any) => {
          ollama.models = Array.isArray(body?.models) ? body.models.map((m: any) => String(m.name)) : [];
          providers.set('ollama', ollama);
          log.info(`Ollama at ${ollamaRoot}: ${ollama.models.length} model(s)`);
        },
        (err) => {
          if (config.ollama.host) log.warn(`Ollama at ${ollamaRoot} did not list its models: ${err.message}`);
          else log.debug(`no Ollama detected at ${ollamaRoot}`);
        },
      ),
    );
  }

  for (const p of config.compatProviders) {
    if (BUILT_IN.includes(p.name)) {
      log.warn(`OPENAI_COMPATIBLE_PROVIDERS: "${p.name}" is a built-in provider name; entry ignored`);
      continue;
    }
    const baseURL = trimSlash(p.baseURL);
    const provider = withModel({
      name: p.name,
      kind: 'compatible',
      models: [...p.models],
      spec: { kind: 'compatible', name: p.name, baseURL, apiKey: p.apiKey },
    });
    providers.set(p.name, provider);
    if (provider.models.length === 0) {
      pending.push(
        listJson(`${baseURL}/models`, p.apiKey, o.discoveryTimeoutMs).then(
          (body: any) => {
            provider.models = Array.isArray(body?.data) ? body.data.map((m: any) => String(m.id)) : [];
          },
          (err) => log.warn(`${p.name} at ${baseURL} did not list its models: ${err.message}`),
        ),
      );
    }
  }

  return { providers, discovered: Promise.allSettled(pending).then(() => undefined) };
}

function withModel(p: Omit<Provider, 'model'>): Provider {
  return { ...p, model: (id, fetch) => buildModel(p.spec, id, fetch) };
}

async function listJson(url: string, apiKey: string | undefined, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, {
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

const trimSlash = <T extends string | undefined>(url: T): T => url?.replace(/\/+$/, '') as T;

/** The Anthropic SDK appends /messages to its base URL, which therefore ends with /v1. */
const withV1 = (url: string) => {
  const trimmed = trimSlash(url);
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
};
