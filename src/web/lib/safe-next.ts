/**
 * Where to go after sign-in: a plain path on this site, else home. Browsers drop tabs and newlines
 * from URLs, so "/\t/evil.example" would become "//evil.example": control characters and spaces
 * are refused outright, as are "//" and backslashes, and what is left must resolve to this origin.
 */
export function safeNext(
  next: string | null,
  origin: string = globalThis.location?.origin ?? 'http://localhost',
): string {
  if (!next?.startsWith('/') || next.includes('//')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]/.test(next))
    return '/';
  try {
    const url = new URL(next, origin);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Dot segments can still make "//host" ("/..//host"): a path must not start like an address.
    return url.origin === new URL(origin).origin && !path.startsWith('//') ? path : '/';
  } catch {
    return '/';
  }
}
