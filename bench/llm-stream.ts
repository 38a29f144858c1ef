import { streamText } from 'ai';
import { plainTextParts, toPrompt } from '../src/server/llm/plain-text';
import { buildModel } from '../src/server/llm/provider-models';
import { startFakeUpstream } from '../test/fake-upstream/server';
import { ratio, table } from './lib/load';

// CPU per streamed model call, three ways in one process against the fake upstream (whose own
// serving CPU is in every figure): the AI SDK's streamText, the provider model's doStream (what
// llm/plain-text.ts uses for calls without tools), and a bare fetch of the same event stream as
// the baseline. 400 calls each at concurrency 50, two rounds in turn; the second round is shown.

const CALLS = 400;
const CONCURRENCY = 50;
const SYSTEM = 'You are Auspex, a research assistant. '.repeat(100);
const USER = `Question about AI adoption, with articles: ${'lorem ipsum dolor '.repeat(600)}`;

export async function run() {
  const fake = await startFakeUpstream({ defaultScenario: { chunks: ['Companies ', 'report ', 'pilots.'] } });
  const spec = { kind: 'openai' as const, apiKey: 'bench', baseURL: fake.openaiBaseURL.replace(/\/$/, '') };
  const model = () => buildModel(spec, 'gpt-4o-mini', fetch);
  const prompt = toPrompt(SYSTEM, [{ role: 'user', content: USER }]);
  const ways: [string, () => Promise<void>][] = [
    [
      'streamText',
      async () => {
        const r = streamText({
          model: model(),
          system: SYSTEM,
          messages: [{ role: 'user', content: USER }],
          maxRetries: 0,
          onError: () => {},
        });
        for await (const _ of r.fullStream);
      },
    ],
    [
      'doStream (plain-text.ts)',
      async () => {
        const parts = plainTextParts(model(), {
          prompt,
          maxOutputTokens: undefined,
          abortSignal: new AbortController().signal,
        });
        for await (const _ of parts);
      },
    ],
    [
      'bare fetch (baseline)',
      async () => {
        // The same messages as the other two send, read to the end as text.
        const res = await fetch(`${spec.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            stream: true,
            messages: [
              { role: 'system', content: SYSTEM },
              { role: 'user', content: USER },
            ],
          }),
        });
        await res.text();
      },
    ],
  ];
  const cpuPerCall = async (call: () => Promise<void>) => {
    let next = 0;
    const before = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < CALLS) await call();
      }),
    );
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / CALLS;
  };
  try {
    const figures = new Map<string, number>();
    for (let round = 0; round < 2; round++) {
      for (const [name, call] of ways) figures.set(name, await cpuPerCall(call));
    }
    const baseline = figures.get('bare fetch (baseline)')!;
    console.log(
      `\n${CALLS} streamed calls per way at concurrency ${CONCURRENCY}, fake upstream in this process`,
    );
    table(
      ways.map(([name]) => ({
        way: name,
        'CPU per call (ms)': figures.get(name)!.toFixed(2),
        'vs bare fetch': ratio(figures.get(name)!, baseline),
      })),
    );
  } finally {
    await fake.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
