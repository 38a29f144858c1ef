import { useQuery } from '@tanstack/react-query';
import { topicsResponse } from '../../shared/corpus';
import { api } from './http';

export function useTopics() {
  return useQuery({
    queryKey: ['topics'],
    queryFn: () => api('GET', '/api/topics', topicsResponse),
    staleTime: 5 * 60_000,
  });
}
