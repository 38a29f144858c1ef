import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import { CATALOG, catalogEntry, catalogFor, OLLAMA_CONTEXT_WINDOW, UNKNOWN_CONTEXT_WINDOW } from './catalog';
import { OFFLINE_ID, OFFLINE_INFO, offlineStream } from './offline';
import { configuredProviders, type Provider } from './providers';
import { abortableSleep, type StreamSettings, streamModel } from './stream';
import { countTokens } from './tokens';
import { type Llm, LlmError, type ModelInfo, type StreamEvent, type StreamRequest } from './types';

// The model registry: which models exist, which one is the default, and how to stream from them.

/** Knobs for tests and operators; every one has a production default. */
export interface LlmOptions {
  /** First backoff step (doubles per attempt, equal jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Cap on one backoff step. Default 8000 ms. */
  maxDelayMs?: number;
  /** A longer Retry-After is not waited for; the call fails as rate limited. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** How backoff waits; resolves early when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Probed for a local Ollama when OLLAMA_DETECT is on and OLLAMA_HOST unset. */
  ollamaDetectURL?: string;
  /** Time allowed to the start-up probes (Ollama tags, compatible /models). Default 1500 ms. */
  discoveryTimeoutMs?: number;
}

export interface ListModelsOptions {
  /** Include catalog models of providers that are not configured (configured: false). */
  all?: boolean;
}

export function createLlm(config: Config, log: FastifyBaseLogger, options: LlmOptions = {}): Llm {
  const { providers, discovered } = configuredProviders(config, log, {
    ollamaDetectURL: options.ollamaDetectURL ?? 'http://127.0.0.1:11434',
    discoveryTimeoutMs: options.discoveryTimeoutMs ?? 1500,
  });
  // The SDK prints provider warnings (unsupported settings, unknown models) to the console by
  // default; send them to our log instead. A process-wide hook: the last registry built wins.
  globalThis.AI_SDK_LOG_WARNINGS = ({ warnings, provider, model }) =>
    log.debug({ warnings, provider, model }, 'model provider warnings');
  let discoveryDone = false;
  const ready = discovered.then(() => {
    discoveryDone = true;
    defaultModel(); // logs a DEFAULT_MODEL that still names no configured provider
  });
  const settings: StreamSettings = {
    maxRetries: config.llm.maxRetries,
    timeouts: {
      connectMs: config.llm.connectTimeoutMs,
      firstTokenMs: config.llm.firstTokenTimeoutMs,
      totalMs: config.llm.totalTimeoutMs,
    },
    backoff: {
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 8000,
      random: options.random ?? Math.random,
    },
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    sleep: options.sleep ?? abortableSleep,
    log,
    modelWorker: config.llm.modelWorker,
  };

  let warned = false;
  function defaultModel(): string {
    const wanted = config.defaultModel;
    if (wanted) {
      const { provider } = splitId(wanted);
      if (wanted === OFFLINE_ID || providers.has(provider)) return wanted;
      // A detected Ollama may still answer its probe.
      if (provider === 'ollama' && !discoveryDone && config.ollama.detect) return OFFLINE_ID;
      if (!warned) {
        warned = true;
        log.warn(`DEFAULT_MODEL "${wanted}" names a provider that is not configured; using ${OFFLINE_ID}`);
      }
      return OFFLINE_ID;
    }
    for (const p of providers.values()) {
      const model = preferredModel(p);
      if (model) return `${p.name}:${model}`;
    }
    return OFFLINE_ID;
  }

  function infoOf(provider: string, model: string, configured: boolean, isDefault: boolean): ModelInfo {
    const id = `${provider}:${model}`;
    const known = catalogEntry(provider, model);
    return {
      id,
      provider,
      model,
      label: known?.label ?? (provider === 'ollama' ? `${model} (Ollama)` : id),
      context_window:
        known?.context_window ?? (provider === 'ollama' ? OLLAMA_CONTEXT_WINDOW : UNKNOWN_CONTEXT_WINDOW),
      input_price_per_mtok: known?.input_price_per_mtok ?? null,
      output_price_per_mtok: known?.output_price_per_mtok ?? null,
      configured,
      offline: false,
      default: isDefault,
    };
  }

  function modelInfo(id: string): ModelInfo {
    const { provider, model } = splitId(id);
    const isDefault = id === defaultModel();
    if (id === OFFLINE_ID) return { ...OFFLINE_INFO, default: isDefault };
    if (provider === 'offline')
      throw new LlmError(`Unknown model "${id}"; the offline model is ${OFFLINE_ID}`, 'config');
    if (!providers.has(provider)) {
      throw new LlmError(`Model "${id}": provider "${provider}" is not configured`, 'config');
    }
    return infoOf(provider, model, true, isDefault);
  }

  async function listModels(opts: ListModelsOptions = {}): Promise<ModelInfo[]> {
    await ready;
    const def = defaultModel();
    const seen = new Set<string>();
    const out: ModelInfo[] = [];
    const add = (provider: string, model: string, configured: boolean) => {
      const id = `${provider}:${model}`;
      if (seen.has(id)) return;
      seen.add(id);
      out.push(infoOf(provider, model, configured, id === def));
    };
    for (const p of providers.values()) {
      for (const e of catalogFor(p.name)) add(p.name, e.model, true);
      for (const m of p.models) add(p.name, m, true);
    }
    const d = splitId(def);
    if (def !== OFFLINE_ID) add(d.provider, d.model, true);
    out.push({ ...OFFLINE_INFO, default: def === OFFLINE_ID });
    if (opts.all) {
      for (const e of CATALOG) if (!providers.has(e.provider)) add(e.provider, e.model, false);
    }
    return out;
  }

  async function* stream(req: StreamRequest): AsyncGenerator<StreamEvent> {
    // Until the start-up probes finish, a detected Ollama may be missing: wait rather than refuse.
    if (!discoveryDone && !(req.model && providers.has(splitId(req.model).provider))) await ready;
    const id = req.model ?? defaultModel();
    if (id === OFFLINE_ID) {
      yield* offlineStream(req);
      return;
    }
    const info = modelInfo(id);
    yield* streamModel(settings, providers.get(info.provider)!, info, req);
  }

  return { listModels, defaultModel, modelInfo, stream, countTokens };
}

function splitId(id: string): { provider: string; model: string } {
  const at = id.indexOf(':');
  if (at <= 0 || at === id.length - 1) {
    throw new LlmError(`Model id "${id}" must look like provider:model`, 'config');
  }
  return { provider: id.slice(0, at), model: id.slice(at + 1) };
}

function preferredModel(p: Provider): string | undefined {
  if (p.kind === 'openai' || p.kind === 'anthropic')
    return catalogFor(p.name).find((e) => e.preferred)?.model;
  return p.models[0];
}
