import type { ScoreArticle, ScoreContext } from '../types';
import type { Citation } from './parse';
import { normalizeUrl } from './urls';

// Where a citation leads: a retrieved article (grounded), an article of the corpus this cell did
// not retrieve (unretrieved), or nowhere (invented). In-app links /articles/{id} go by id.

export type CitationStatus = 'grounded' | 'unretrieved' | 'invented';

export interface Resolved {
  status: CitationStatus;
  article: ScoreArticle | null;
  reason: string;
}

export interface Lookup {
  resolve(c: Pick<Citation, 'url' | 'article_id' | 'raw'>): Resolved;
}

export function lookup(ctx: ScoreContext): Lookup {
  const byUrl = new Map<string, ScoreArticle>();
  const byId = new Map<number, ScoreArticle>();
  for (const a of ctx.articles) {
    const u = normalizeUrl(a.url);
    if (u !== null && !byUrl.has(u)) byUrl.set(u, a);
    byId.set(a.id, a);
  }
  let corpusById: Map<number, ScoreArticle> | null = null;
  return {
    resolve(c) {
      if (c.url === null)
        return {
          status: 'invented',
          article: null,
          reason: `footnote ${c.raw} is not in the reference list`,
        };
      if (c.article_id !== null) {
        const mine = byId.get(c.article_id);
        if (mine) return { status: 'grounded', article: mine, reason: 'retrieved for this answer' };
        corpusById ??= new Map([...ctx.corpus.values()].map((a) => [a.id, a]));
        const other = corpusById.get(c.article_id);
        if (other)
          return {
            status: 'unretrieved',
            article: other,
            reason: 'in the corpus, but not retrieved for this answer',
          };
        return { status: 'invented', article: null, reason: `no article ${c.article_id} in the corpus` };
      }
      const mine = byUrl.get(c.url);
      if (mine) return { status: 'grounded', article: mine, reason: 'retrieved for this answer' };
      const other = ctx.corpus.get(c.url);
      if (other)
        return {
          status: 'unretrieved',
          article: other,
          reason: 'in the corpus, but not retrieved for this answer',
        };
      return { status: 'invented', article: null, reason: 'in no article of the corpus' };
    },
  };
}
