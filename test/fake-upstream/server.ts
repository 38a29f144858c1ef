import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultReply, tokenEstimate } from './reply';
import {
  anthropicEvents,
  anthropicJson,
  json,
  openaiEvents,
  openaiJson,
  type Reply,
  sendError,
} from './wire';

export { extractSystem, extractText, firstArticleTitle } from './reply';

// A real HTTP server on loopback that speaks the OpenAI Chat Completions and Anthropic Messages
// wire formats, so model-layer and feature tests exercise the real SDKs over real sockets.

/** One tool call the fake model makes. */
export interface FakeToolCall {
  name: string;
  input: unknown;
  /** Defaults to call_<n> (OpenAI) / toolu_<n> (Anthropic). */
  id?: string;
}

/**
 * What the fake answers to one request. Consumed one per request from the queue; when the queue is
 * empty the server's default scenario (a deterministic reply derived from the request) answers.
 *
 * - `text` / `chunks`: the reply; `chunks` gives the exact streamed pieces (text = chunks.join('')).
 *   Without either, the default text derived from the request is used.
 * - `toolCalls`: the model calls these tools (finish reason `tool_calls` / `tool_use`), with no text
 *   unless `text`/`chunks` is given; enqueue a further scenario (or rely on the default) for the
 *   request that carries the tool results.
 * - `usage`: token counts reported; default input = ceil(request chars / 4), output = chunk count.
 * - `status` >= 400: an error response in the protocol's error format; `retryAfter` sets the
 *   `Retry-After` header (seconds, or an HTTP date string); `error` overrides type/code/message.
 * - `quota`: a quota/billing failure: OpenAI 429 `insufficient_quota`; Anthropic 400
 *   `invalid_request_error` "Your credit balance is too low…".
 * - `firstByteDelayMs`: wait before sending the status line (slow first byte).
 * - `chunkDelayMs`: wait between streamed chunks.
 * - `dropAfterChunks`: (streaming) send this many text chunks, then destroy the socket.
 * - `raw`: answer 200 with this content type and body instead of the protocol (a web server or
 *   proxy at the configured address, e.g. an HTML page).
 */
export interface Scenario {
  text?: string;
  chunks?: string[];
  toolCalls?: FakeToolCall[];
  usage?: { input_tokens?: number; output_tokens?: number };
  status?: number;
  retryAfter?: number | string;
  error?: { type?: string; code?: string; message?: string };
  quota?: boolean;
  firstByteDelayMs?: number;
  chunkDelayMs?: number;
  dropAfterChunks?: number;
  raw?: { contentType: string; body: string };
}

export type Protocol = 'openai' | 'anthropic' | 'models' | 'ollama-tags' | 'unknown';

export interface RecordedRequest {
  method: string;
  path: string;
  protocol: Protocol;
  /** Lower-cased header names, as Node receives them. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (or the raw text when it is not JSON; null when empty). */
  body: any;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** pending while in flight; aborted = the client went away first; dropped = the fake cut it. */
  outcome: 'pending' | 'completed' | 'aborted' | 'dropped';
}

export interface FakeUpstreamOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Added before the first byte of every response (benchmarks subtract it). */
  delayMs?: number;
  /** Answers when the queue is empty; defaults to the request-derived reply. */
  defaultScenario?: Scenario | ((req: RecordedRequest) => Scenario);
  /** Names GET /api/tags (Ollama) lists. */
  ollamaModels?: string[];
  /** Ids GET /v1/models lists. */
  models?: string[];
}

export interface FakeUpstream {
  /** Base, e.g. http://127.0.0.1:PORT */
  url: string;
  /** url + '/v1' — what OPENAI_BASE_URL and OpenAI-compatible providers take. */
  openaiBaseURL: string;
  /** url + '/v1' — what ANTHROPIC_BASE_URL takes. */
  anthropicBaseURL: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests to the model endpoints only (chat completions / messages). */
  modelRequests(): RecordedRequest[];
  enqueue(...scenarios: Scenario[]): void;
  /** Clears the queue and the recorded requests. */
  reset(): void;
  /** Resolves once no response is in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The environment that makes the fake upstream the server's OpenAI provider and default model. */
export function fakeOpenAiEnv(fake: Pick<FakeUpstream, 'openaiBaseURL'>, model = 'openai:gpt-4.1-mini') {
  return { OPENAI_BASE_URL: fake.openaiBaseURL, OPENAI_API_KEY: 'test-key', DEFAULT_MODEL: model };
}

export async function startFakeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const queue: Scenario[] = [];
  const requests: RecordedRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  let seq = 0;

  const pick = (rec: RecordedRequest): Scenario => {
    const next = queue.shift();
    if (next) return next;
    const d = opts.defaultScenario;
    return typeof d === 'function' ? d(rec) : (d ?? {});
  };

  const server = createServer((req, res) => {
    const done = handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    const body = parseBody(raw);
    const protocol = protocolOf(req.method ?? 'GET', path);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      protocol,
      headers: { ...req.headers },
      body,
      stream: body?.stream === true,
      outcome: 'pending',
    };
    requests.push(rec);
    const closed = new AbortController();
    res.on('close', () => {
      if (rec.outcome === 'pending') rec.outcome = res.writableFinished ? 'completed' : 'aborted';
      closed.abort();
    });

    if (protocol === 'models') {
      const ids = opts.models ?? ['fake-model'];
      return json(res, 200, {
        object: 'list',
        data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      });
    }
    if (protocol === 'ollama-tags') {
      const names = opts.ollamaModels ?? ['llama3.2:latest'];
      return json(res, 200, { models: names.map((name) => ({ name, model: name, size: 0 })) });
    }
    if (protocol === 'unknown') return json(res, 404, { error: { message: `no route ${path}` } });

    const scenario = pick(rec);
    const wait = (opts.delayMs ?? 0) + (scenario.firstByteDelayMs ?? 0);
    if (wait > 0 && !(await sleep(wait, closed.signal))) return;

    if (scenario.quota || (scenario.status && scenario.status >= 400))
      return sendError(res, protocol, scenario);
    if (scenario.raw) {
      res.writeHead(200, { 'content-type': scenario.raw.contentType });
      res.end(scenario.raw.body);
      return;
    }

    const n = ++seq;
    // A tool-call turn carries no text unless the scenario gives some. The derived reply reads
    // the whole request, so it is made only when no text is given (benchmarks give theirs).
    const chunks =
      scenario.chunks ??
      splitText(scenario.text ?? (scenario.toolCalls?.length ? '' : defaultReply(body, protocol)));
    const toolCalls = (scenario.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? (protocol === 'openai' ? `call_${n}_${i}` : `toolu_${n}_${i}`),
      name: c.name,
      arguments: JSON.stringify(c.input ?? {}),
      input: c.input ?? {},
    }));
    const usage = {
      input_tokens: scenario.usage?.input_tokens ?? tokenEstimate(body),
      output_tokens: scenario.usage?.output_tokens ?? chunks.length + toolCalls.length,
    };
    const model = typeof body?.model === 'string' ? body.model : 'fake-model';
    const reply: Reply = { n, model, chunks, toolCalls, usage };

    if (!rec.stream) {
      return protocol === 'openai' ? json(res, 200, openaiJson(reply)) : json(res, 200, anthropicJson(reply));
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const events =
      protocol === 'openai'
        ? openaiEvents(reply, body?.stream_options?.include_usage === true)
        : anthropicEvents(reply);
    let textSent = 0;
    for (const ev of events) {
      if (res.destroyed) return;
      if (ev.text && scenario.dropAfterChunks !== undefined && textSent >= scenario.dropAfterChunks) {
        // Let what was written reach the client, then cut the connection mid-stream.
        await sleep(20, closed.signal);
        rec.outcome = 'dropped';
        res.destroy();
        return;
      }
      res.write(ev.data);
      if (ev.text) {
        textSent++;
        if (scenario.chunkDelayMs && !(await sleep(scenario.chunkDelayMs, closed.signal))) return;
      }
    }
    res.end();
  }

  server.listen(opts.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: `${url}/v1`,
    port,
    requests,
    modelRequests: () => requests.filter((r) => r.protocol === 'openai' || r.protocol === 'anthropic'),
    enqueue: (...s) => void queue.push(...s),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close: async () => {
      queue.length = 0;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function protocolOf(method: string, path: string): Protocol {
  if (method === 'POST' && /\/chat\/completions$/.test(path)) return 'openai';
  if (method === 'POST' && /\/messages$/.test(path)) return 'anthropic';
  if (method === 'GET' && /\/models$/.test(path)) return 'models';
  if (method === 'GET' && path === '/api/tags') return 'ollama-tags';
  return 'unknown';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function parseBody(raw: string): any {
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Word-sized pieces, whitespace kept, so the concatenation is the original text. */
function splitText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Resolves true after ms, or false as soon as the response closes. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
