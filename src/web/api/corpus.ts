import { useQuery } from '@tanstack/react-query';
import {
  ARTICLE_IDS_MAX,
  type ArticleRef,
  articleDetail,
  articlesResponse,
  topicsResponse,
} from '../../shared/corpus';
import { api } from './http';

export function useTopics() {
  return useQuery({
    queryKey: ['topics'],
    queryFn: () => api('GET', '/api/topics', topicsResponse),
    staleTime: 5 * 60_000,
  });
}

export function useArticle(id: number) {
  return useQuery({
    queryKey: ['articles', 'one', id],
    queryFn: () => api('GET', `/api/articles/${id}`, articleDetail),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/** Title and URL of the articles a turn retrieved (what its citations link to), in batches of 200. */
export function useArticleRefs(ids: readonly number[]) {
  const unique = [...new Set(ids)];
  return useQuery({
    queryKey: ['articles', 'refs', unique.join(',')],
    queryFn: async (): Promise<ArticleRef[]> => {
      const batches: number[][] = [];
      for (let i = 0; i < unique.length; i += ARTICLE_IDS_MAX)
        batches.push(unique.slice(i, i + ARTICLE_IDS_MAX));
      const answers = await Promise.all(
        batches.map((b) => api('GET', `/api/articles?ids=${b.join(',')}`, articlesResponse)),
      );
      return answers.flatMap((a) => a.articles);
    },
    enabled: unique.length > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
