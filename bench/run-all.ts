// Runs every benchmark in turn and prints its figures; benchmarks never pass or fail on time.
export {};

const benches: { name: string; file: string }[] = [
  { name: 'session lookup, cold start, idle RSS (issue 2)', file: './auth-me.ts' },
  { name: 'full-text search on 100,000 articles (issue 3)', file: './search.ts' },
  { name: 'Auspex time to first token (issue 3)', file: './auspex-ttft.ts' },
  { name: 'workshop test route and draft reads (issue 4)', file: './workshop.ts' },
  { name: 'web page weight and editor-ready time (issue 5)', file: './web.ts' },
  { name: 'CPU per model call: streamText, doStream and a bare fetch (issue 10)', file: './llm-stream.ts' },
  {
    name: 'eval runs at concurrency 4, 16 and 50 against a 200 ms upstream (issue 10)',
    file: './evals-concurrency.ts',
  },
  { name: 'inserting the 400,000 cells of the largest run (issue 10)', file: './evals-cell-insert.ts' },
  { name: 'scoring 5,000 stored answers with every assertion type (issue 11)', file: './scoring.ts' },
  { name: "an ended 10,000-cell run's CSV, JSON and JUnit export", file: './evals-export.ts' },
  {
    name: 'server RSS over a 5,000-case run and the results page first render (issue 10)',
    file: './evals-large.ts',
  },
];

const only = process.argv.slice(2);
for (const b of benches) {
  if (only.length && !only.some((o) => b.file.includes(o))) continue;
  console.log(`\n=== ${b.name} (${b.file}) ===`);
  const mod = (await import(b.file).catch((err) => {
    console.log(`skipped: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  })) as { run?: () => Promise<unknown> } | null;
  if (mod?.run) await mod.run();
}
