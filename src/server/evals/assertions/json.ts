// The JSON an answer holds: the whole answer (trimmed), or a single fenced code block that makes up
// the whole answer (```json … ```), since models often wrap JSON in one.

export type JsonOf = { ok: true; value: unknown } | { ok: false; error: string };

const FENCED = /^```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

export function jsonOf(answer: string): JsonOf {
  const trimmed = answer.trim();
  if (!trimmed) return { ok: false, error: 'answer is empty' };
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
