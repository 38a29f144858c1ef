import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors';

// PostgreSQL cannot store U+0000 in text and answers with an error; SQLite stores it and cuts
// strings at it in places. No user text needs it, so every engine refuses it here, before any
// route sees the input. Raw uploads (article imports) are parsed, and reported, by line instead.

function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path}.${key.replaceAll('\u0000', '\\0')}`;
      const found = nulPath(v, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export async function rejectNulCharacters(req: FastifyRequest): Promise<void> {
  const found =
    nulPath(req.params, 'params') ??
    nulPath(req.query, 'querystring') ??
    (typeof req.body === 'object' ? nulPath(req.body, 'body') : null);
  if (found) throw badRequest(`${found}: text must not contain NUL characters (\\u0000)`);
}
