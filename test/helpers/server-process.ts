import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

// A real server process (`prompt-workshop serve`) on a free-ish port, for tests of crashes,
// shutdown and several processes sharing one database.

export interface ServerProcess {
  base: string;
  proc: ChildProcess;
  /** Signs in through the API and returns headers carrying the session cookie. */
  signIn(username: string, password: string): Promise<Record<string, string>>;
  /** Sends the signal and resolves with the exit code (null when killed). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const proc = spawn(process.execPath, ['bin/prompt-workshop.js', 'serve'], {
    env: { PATH: process.env.PATH, PORT: String(port), OLLAMA_DETECT: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 600 || proc.exitCode !== null) throw new Error(`server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    proc,
    async signIn(username, password) {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      return { cookie: login.headers.get('set-cookie')!.split(';')[0], 'content-type': 'application/json' };
    },
    async stop(signal) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const exited = once(proc, 'exit');
      proc.kill(signal);
      return (await exited)[0] as number | null;
    },
  };
}
