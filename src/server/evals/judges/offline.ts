import type { JudgeArticle } from './types';

// The offline:demo judge: plain, deterministic rules, labelled as not AI in every reason. It runs
// wherever no model is configured, so suites with judges still score end to end without a key.

export const OFFLINE_LABEL = 'offline:demo judge (not AI)';

/** Words the rules count as sensible for an answer. */
export const MIN_WORDS = 15;
export const MAX_WORDS = 3_000;

// Words that say what to check rather than what the answer should be about.
const STOPWORDS = new Set(
  (
    'about above after again against also answer answers any because been before being below between both ' +
    'cite cited cites citation citations could does doing down during each either every from further have ' +
    'having here include includes including into itself just least mention mentions mentioned more most must ' +
    'only other ought over response same should some such than that their them then there these they this ' +
    'those through under until very were what when where which while whom will with within without would your ' +
    'article articles source sources user query question clear clearly good well answered explain explains ' +
    'accurate accurately brief concise correct correctly cover covers describe describes discuss discusses ' +
    'factual gives helpful list lists name names note notes provide provides relevant state states uses'
  ).split(' '),
);

export interface OfflineAssessment {
  /** Share of the key words present (1 when there are none). */
  coverage: number;
  keywords: string[];
  missing: string[];
  /** Listed articles whose URL or title appears in the answer; null when none were listed. */
  cited: number | null;
  listed: number;
  words: number;
  lengthOk: boolean;
  /** Mean of the criteria, 0..1. */
  merit: number;
}

/** Key words: distinct words of four or more letters that are not about the checking itself. */
export function keyWords(text: string): string[] {
  const out = new Set<string>();
  for (const w of words(text)) if (w.length >= 4 && !STOPWORDS.has(w)) out.add(w);
  return [...out].slice(0, 20);
}

export function assess(
  answer: string,
  topic: string,
  fallbackTopic: string,
  articles: JudgeArticle[],
): OfflineAssessment {
  let keywords = keyWords(topic);
  if (keywords.length === 0) keywords = keyWords(fallbackTopic);
  const present = new Set(words(answer));
  const missing = keywords.filter((k) => !present.has(k));
  const coverage = keywords.length ? (keywords.length - missing.length) / keywords.length : 1;
  const lower = answer.toLowerCase();
  const cited = articles.length ? articles.filter((a) => citesArticle(lower, a)).length : null;
  const count = words(answer).length;
  const lengthOk = count >= MIN_WORDS && count <= MAX_WORDS;
  const criteria = [coverage, lengthOk ? 1 : 0, ...(cited === null ? [] : [cited > 0 ? 1 : 0])];
  const merit = criteria.reduce((s, c) => s + c, 0) / criteria.length;
  return { coverage, keywords, missing, cited, listed: articles.length, words: count, lengthOk, merit };
}

/** Passes when at least half the key words are there, an article is cited (if any was listed), and the length is sensible. */
export const offlinePass = (a: OfflineAssessment) => a.coverage >= 0.5 && a.lengthOk && (a.cited ?? 1) > 0;

/** 1–5 from the criteria's mean. */
export const offlineRating = (a: OfflineAssessment) => 1 + Math.round(4 * a.merit);

export function explain(a: OfflineAssessment): string {
  const kw = a.keywords.length
    ? `key words ${a.keywords.length - a.missing.length} of ${a.keywords.length} in the answer` +
      (a.missing.length ? ` (missing: ${a.missing.slice(0, 8).join(', ')})` : '')
    : 'no key words to look for';
  const cites =
    a.cited === null
      ? 'no articles were listed to cite'
      : `cites ${a.cited} of the ${a.listed} listed articles`;
  const length = `${a.words} words (sensible: ${MIN_WORDS}–${MAX_WORDS})`;
  return `${kw}; ${cites}; ${length}`;
}

function citesArticle(answerLower: string, a: JudgeArticle): boolean {
  const url = a.url.trim().toLowerCase().replace(/\/+$/, '');
  if (url && answerLower.includes(url)) return true;
  const title = a.title.trim().toLowerCase();
  return title.length >= 8 && answerLower.includes(title);
}

function words(text: string): string[] {
  return text.toLowerCase().match(/\p{L}[\p{L}\p{N}'’-]*/gu) ?? [];
}
