import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe; only its sha256 is ever stored. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
