import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpuSeconds } from './load';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from the health URL. */
  startMs: number;
  rssMb(): number;
  /**
   * Resolves once the process has used under 5 % of a core for a whole second (or after `maxMs`):
   * start-up work that runs after listening (the tokenizer warm-up) must not land in idle RSS or
   * in a throughput figure. Returns the milliseconds waited.
   */
  settle(maxMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** Spawns a server process and polls `healthPath` until it answers 200. */
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  port: number,
  healthPath = '/api/health',
): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(url + healthPath);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = performance.now() - started;
  return {
    url,
    child,
    startMs,
    settle: async (maxMs = 20_000) => {
      const from = performance.now();
      let quiet = 0;
      let last = cpuSeconds(child.pid!);
      while (quiet < 4 && performance.now() - from < maxMs) {
        await new Promise((r) => setTimeout(r, 250));
        const now = cpuSeconds(child.pid!);
        quiet = now - last <= 0.0125 ? quiet + 1 : 0;
        last = now;
      }
      return Math.round(performance.now() - from);
    },
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// The OS picks a port no one is listening on: a fixed counter collided with benchmarks other people
// ran at the same time, and the health poll then happily timed *their* server.
const pickPort =
  'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })';
export const freePort = (): number =>
  Number(execFileSync(process.execPath, ['-e', pickPort], { encoding: 'utf8' }).trim());
