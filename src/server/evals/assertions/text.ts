// Text comparisons shared by the string checks: Unicode NFC first, so "Zürich" typed with a
// combining diaeresis equals the precomposed one; case-insensitive means toLowerCase of both.

export const nfc = (s: string) => s.normalize('NFC');
export const folded = (s: string) => nfc(s).toLowerCase();

/** The values `answer` contains, and the ones it does not. */
export function partition(
  answer: string,
  values: string[],
  ignoreCase = false,
): { found: string[]; missing: string[] } {
  const norm = ignoreCase ? folded : nfc;
  const text = norm(answer);
  const found: string[] = [];
  const missing: string[] = [];
  for (const v of values) (text.includes(norm(v)) ? found : missing).push(v);
  return { found, missing };
}
