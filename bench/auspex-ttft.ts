import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import pino from 'pino';
import { articleBlock, userTurn } from '../src/server/auspex/context-packing';
import { benchDatabaseUrl, loadConfig } from '../src/server/config';
import { createLlm } from '../src/server/llm/registry';
import { DEFAULT_PROMPT_CONTENT } from '../src/server/prompts/default-prompt';
import { startFakeUpstream } from '../test/fake-upstream/server';
import { fixtureArticles } from '../test/helpers/articles';
import { freePort, spawnServer } from './lib/process';
import { fakeModelServerEnv, fakeStreamRequest, freshPgDatabase, login, pct } from './lib/setup';

// Issue 3's figure: time to first token through POST /api/auspex/chat/message minus the fake
// upstream's own first-byte delay, i.e. what our server adds (retrieve, pack, call, relay).
// A real server process on loopback with the sample corpus; the fake upstream answers after a
// fixed delay. Requests run one at a time so queueing does not blur the figure.

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin/prompt-workshop.js');
const UPSTREAM_DELAY_MS = 20;
const TOPIC = 'AI Adoption';
const QUESTIONS = [
  'How are companies adopting AI assistants in customer service?',
  'What do regulators say about AI adoption risks?',
  'Which industries report productivity gains from automation?',
  'How much are firms spending on AI pilots this year?',
  'What are workers saying about AI tools at work?',
  'Which vendors are winning enterprise AI contracts?',
  'What went wrong in failed AI deployments?',
  'How fast is generative AI adoption growing?',
];

interface Sample {
  ttftMs: number;
  /** The server's own first_token_ms (from the start of the turn, after routing and auth). */
  turnMs: number;
  articles: number;
}

async function newChat(url: string, cookie: string): Promise<number> {
  const res = await fetch(`${url}/api/auspex/chat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ topic: TOPIC, title: 'ttft bench' }),
  });
  if (res.status !== 201) throw new Error(`create chat failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { chat_id: number }).chat_id;
}

/** One message: milliseconds from sending the request to the first `content` event, and the figures. */
async function ask(
  url: string,
  cookie: string,
  chatId: number,
  message: string,
  limit: number,
): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(`${url}/api/auspex/chat/message`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ chat_id: chatId, message, limit }),
  });
  if (res.status !== 200) throw new Error(`message failed: ${res.status} ${await res.text()}`);
  let ttft: number | null = null;
  let done: Record<string, any> | null = null;
  const parser = createParser({
    onEvent: (e) => {
      const data = JSON.parse(e.data);
      if ('content' in data) ttft ??= performance.now() - started;
      if (data.done) done = data;
    },
  });
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) parser.feed(decoder.decode(r.value));
  const figures = done as Record<string, any> | null;
  if (ttft === null || figures?.status !== 'ok') throw new Error(`turn failed: ${JSON.stringify(figures)}`);
  return { ttftMs: ttft, turnMs: figures.first_token_ms, articles: figures.article_count };
}

export async function run(requests = 200, limits = [5, 50, 200]) {
  const fake = await startFakeUpstream({
    delayMs: UPSTREAM_DELAY_MS,
    defaultScenario: { chunks: ['Companies ', 'report ', 'pilots ', '[Title](https://example.com).'] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-ttft-'));
  const engines: { name: string; url: string; cleanup: () => Promise<void> }[] = [
    { name: 'sqlite', url: `sqlite:${join(dir, 'bench.db')}`, cleanup: async () => {} },
  ];
  const pgBase = benchDatabaseUrl();
  if (pgBase) {
    const fresh = await freshPgDatabase(pgBase, 'ttft');
    engines.push({ name: 'postgres', url: fresh.url, cleanup: fresh.drop });
  }
  const rows: Record<string, string | number>[] = [];
  try {
    // The upstream alone: a streaming request straight to the fake, same delay, same reply.
    const direct: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const res = await fakeStreamRequest(fake.openaiBaseURL);
      const reader = res.body!.getReader();
      await reader.read();
      direct.push(performance.now() - started - UPSTREAM_DELAY_MS);
      while (!(await reader.read()).done);
    }
    direct.sort((a, b) => a - b);
    rows.push({
      path: 'fake upstream directly',
      limit: '-',
      articles: '-',
      p50_ms: pct(direct, 0.5),
      p99_ms: pct(direct, 0.99),
    });

    // The model layer alone (AI SDK + our retries/timeouts), in this process, with a prompt the
    // size of a limit-50 turn: the part of the overhead that retrieval and the route do not add.
    const llm = createLlm(
      loadConfig({
        OPENAI_BASE_URL: fake.openaiBaseURL,
        OPENAI_API_KEY: 'bench-key',
        OLLAMA_DETECT: 'false',
      }),
      pino({ level: 'silent' }),
    );
    const blocks = fixtureArticles('AI adoption', 50, 12).map((a, i) =>
      articleBlock({ ...a, id: i + 1 }, i + 1),
    );
    const user = userTurn(TOPIC, QUESTIONS[0], blocks);
    const layer: number[] = [];
    for (let i = 0; i < requests + QUESTIONS.length; i++) {
      const started = performance.now();
      let first: number | null = null;
      for await (const e of llm.stream({
        model: 'openai:gpt-4.1-mini',
        system: DEFAULT_PROMPT_CONTENT,
        messages: [{ role: 'user', content: user }],
        maxOutputTokens: 4096,
        offline: () => '',
      })) {
        if (e.type === 'text') first ??= performance.now() - started - UPSTREAM_DELAY_MS;
      }
      if (i >= QUESTIONS.length) layer.push(first!);
    }
    layer.sort((a, b) => a - b);
    rows.push({
      path: `model layer alone (ctx.llm.stream, ${Math.round(user.length / 1024)} KB prompt)`,
      limit: 50,
      articles: 50,
      p50_ms: pct(layer, 0.5),
      p99_ms: pct(layer, 0.99),
    });

    for (const engine of engines) {
      const port = freePort();
      const server = await spawnServer(
        [cli, 'serve'],
        { ...fakeModelServerEnv(engine.url, fake.openaiBaseURL) },
        port,
      );
      try {
        const cookie = await login(server.url);
        for (const limit of limits) {
          // Warm-up: first-use costs (tokenizer tables, prepared statements, JIT) are not the steady state.
          const warm = await newChat(server.url, cookie);
          for (const q of QUESTIONS) await ask(server.url, cookie, warm, q, limit);
          const samples: Sample[] = [];
          for (let i = 0; i < requests; i++) {
            const chat = await newChat(server.url, cookie);
            samples.push(await ask(server.url, cookie, chat, QUESTIONS[i % QUESTIONS.length], limit));
          }
          const overhead = samples.map((s) => s.ttftMs - UPSTREAM_DELAY_MS).sort((a, b) => a - b);
          const inTurn = samples.map((s) => s.turnMs - UPSTREAM_DELAY_MS).sort((a, b) => a - b);
          rows.push({
            path: `POST /api/auspex/chat/message (${engine.name})`,
            limit,
            articles: Math.round(samples.reduce((n, s) => n + s.articles, 0) / samples.length),
            p50_ms: pct(overhead, 0.5),
            p99_ms: pct(overhead, 0.99),
            in_turn_p50_ms: pct(inTurn, 0.5),
          });
        }
      } finally {
        await server.stop();
        await engine.cleanup();
      }
    }
    console.log(
      `\nTime to first token minus the upstream's ${UPSTREAM_DELAY_MS} ms first-byte delay ` +
        `(server overhead; ${requests} sequential requests per row; target p50 < 15 ms at limit 50).\n` +
        'in_turn_p50_ms: the part measured inside the server from the start of the turn (retrieve, pack, model call).',
    );
    console.table(rows);
    return rows;
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
