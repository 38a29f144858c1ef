import { useLayoutEffect, useMemo, useRef } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { ArticleDetail } from '../../shared/corpus';
import { useArticle } from '../api/corpus';
import { ApiError, errorMessage } from '../api/http';
import { Spinner } from '../components/spinner';
import { formatDate } from '../lib/format';
import { highlightPassage } from '../lib/passage';
import { usePageTitle } from '../lib/use-page-title';
import '../styles/articles.css';

/** The host of a URL for "Original at …", or the URL itself when it has none. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * /articles/:id?q=…: a stored article in full, read inside the app (sample URLs lead nowhere and
 * real ones may be paywalled), with the sentences that best match `q` (the cited claim) marked.
 */
export function ArticlePage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const numeric = /^\d+$/.test(id ?? '') ? Number(id) : 0;
  const article = useArticle(numeric);
  usePageTitle(article.data?.title ?? 'Article');

  if (article.isPending) return <Spinner label="Loading the article" block />;
  if (article.isError) {
    const missing = article.error instanceof ApiError && [400, 404].includes(article.error.status);
    return (
      <main className="page narrow">
        <h1>{missing ? 'Article not found' : 'The article could not be loaded'}</h1>
        <p role="alert" className="alert error">
          {missing ? 'There is no article at this address.' : errorMessage(article.error)}
        </p>
        <p>
          <Link to="/auspex-chat">Go to Auspex chat</Link>
        </p>
      </main>
    );
  }
  return <ArticleView article={article.data} query={params.get('q') ?? ''} />;
}

function ArticleView({ article, query }: { article: ArticleDetail; query: string }) {
  const navigate = useNavigate();
  const parts = useMemo(() => highlightPassage(article.content, query), [article.content, query]);
  const body = useRef<HTMLDivElement>(null);
  const found = parts.some((p) => p.mark);
  // React Router numbers its history entries: 0 means this page was opened directly.
  const cameFromApp = (window.history.state?.idx ?? 0) > 0;

  useLayoutEffect(() => {
    body.current?.querySelector('mark')?.scrollIntoView({ block: 'center' });
  }, []);

  return (
    <main className="page narrow article-page">
      {cameFromApp && (
        <button type="button" className="btn btn-link" id="article-back" onClick={() => navigate(-1)}>
          ← Back
        </button>
      )}
      <article aria-labelledby="article-title">
        <h1 id="article-title">{article.title}</h1>
        <p className="article-meta muted" id="article-meta">
          <span>{article.source || 'Unknown source'}</span> ·{' '}
          <time dateTime={article.published_at}>{formatDate(article.published_at)}</time> ·{' '}
          <span>{article.topic}</span>
          {article.is_sample && <span className="badge sample">sample data</span>}
        </p>
        <p className="article-original" id="article-original">
          {article.original_url ? (
            <a href={article.original_url} target="_blank" rel="noopener noreferrer">
              Original at {hostOf(article.original_url)}
            </a>
          ) : (
            'Sample data: this article was generated for the demo corpus and has no original.'
          )}
        </p>
        {query && (
          <p className="article-cited muted" id="article-cited">
            {found ? 'Highlighted: the sentences closest to ' : 'No sentence of this article matches '}
            <q>{query}</q>
          </p>
        )}
        {/* Plain text split into elements: article text is never parsed as HTML. */}
        <div className="article-body" id="article-body" ref={body}>
          {parts.map((p, i) =>
            p.mark ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional and never reordered
              <mark key={i}>{p.text}</mark>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional and never reordered
              <span key={i}>{p.text}</span>
            ),
          )}
        </div>
      </article>
    </main>
  );
}
