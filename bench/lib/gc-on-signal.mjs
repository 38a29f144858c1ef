import { writeFileSync } from 'node:fs';

// Preloaded into a benchmark's server process (with --expose-gc): SIGUSR2 runs a full garbage
// collection and writes process.memoryUsage() to BENCH_GC_REPORT, so a benchmark can tell memory
// still held from garbage not collected yet.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  if (process.env.BENCH_GC_REPORT)
    writeFileSync(process.env.BENCH_GC_REPORT, JSON.stringify(process.memoryUsage()));
});
