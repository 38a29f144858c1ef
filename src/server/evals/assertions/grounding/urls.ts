// One spelling per address, so a cited URL can be looked up among the retrieved articles and the
// corpus: lowercase scheme and host (URL does that), no fragment, no utm_* parameters, no trailing
// slash, percent-escapes decoded where decodeURI can (offline answers escape "(" as %28). An in-app
// link /articles/{id} (the app's article page) becomes "/articles/{id}" and names that article.

const IN_APP = /^\/articles\/(\d{1,15})(?:[/?#]|$)/;

/** The normalised URL, or null when `raw` is no http(s) URL or in-app article link. */
export function normalizeUrl(raw: string): string | null {
  const href = raw.trim().replace(/^<|>$/g, '');
  const inApp = IN_APP.exec(href);
  if (inApp) return `/articles/${Number(inApp[1])}`;
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  for (const key of [...u.searchParams.keys()]) if (/^utm_/i.test(key)) u.searchParams.delete(key);
  let out = u.href;
  try {
    out = decodeURI(out);
  } catch {
    // Malformed escapes: keep them as written.
  }
  return out.replace(/\?$/, '').replace(/\/+(?=$|\?)/, '');
}

/** The article id of an in-app link (as normalizeUrl writes it), else null. */
export function inAppArticleId(url: string): number | null {
  const m = IN_APP.exec(url);
  return m ? Number(m[1]) : null;
}
