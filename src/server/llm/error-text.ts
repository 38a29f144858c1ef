/** An error's message; a provider's in-stream error event arrives as a plain object ({ type, message }). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') {
    return 'type' in err && typeof err.type === 'string' ? `${err.type}: ${err.message}` : err.message;
  }
  return String(err);
}
