import { useQuery } from '@tanstack/react-query';
import { modelsResponse } from '../../shared/models';
import { api } from './http';

export function useModels() {
  return useQuery({
    queryKey: ['models'],
    queryFn: () => api('GET', '/api/models', modelsResponse),
    staleTime: 5 * 60_000,
  });
}
