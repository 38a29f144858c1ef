import type { KeyboardEvent } from 'react';

/** Sends on Ctrl+Enter (Cmd+Enter on a Mac); plain Enter is a new line. */
export function isSendKey(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey);
}
