// Turns free user text into search terms that can never be read as FTS syntax: only runs of
// letters and digits survive, so quotes, operators (AND, NEAR, *, ^, :, -, parentheses) and
// punctuation are plain separators. Terms are OR-ed and ranked, so a question phrased in
// natural language still finds the articles that share its words.

/** English function words that would match nearly every article (PostgreSQL drops them too). */
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most my ' +
    'myself no nor not now of off on once only or other our ours ourselves out over own same she should so ' +
    'some such than that the their theirs them themselves then there these they this those through to too ' +
    'under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves'
  ).split(' '),
);

export const MAX_TERMS = 32;
const MAX_TERM_LENGTH = 64;

/** Distinct lower-case search terms of `q`, in order, without stop words; empty when none remain. */
export function searchTerms(q: string): string[] {
  const terms: string[] = [];
  for (const match of q.normalize('NFKC').matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const term = match[0].toLowerCase().slice(0, MAX_TERM_LENGTH);
    if (STOPWORDS.has(term) || terms.includes(term)) continue;
    terms.push(term);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/** An FTS5 MATCH expression: each term an FTS5 string, joined with OR. */
export function fts5Match(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}
