/** Where to go after sign-in: only paths on this site ("//evil", "/\\evil" and "https://…" are not). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
