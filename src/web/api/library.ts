import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import {
  type CreatePromptRequest,
  promptListResponse,
  promptResponse,
  promptVersionsResponse,
  type UpdatePromptRequest,
} from '../../shared/prompts';
import { api, sendNoContent } from './http';

// The prompt library: /api/auspex/prompts.

const base = '/api/auspex/prompts';
const at = (name: string) => `${base}/${encodeURIComponent(name)}`;

export const promptKeys = {
  all: ['prompts'] as const,
  list: ['prompts', 'list'] as const,
  one: (name: string) => ['prompts', 'one', name] as const,
  versions: (name: string) => ['prompts', 'versions', name] as const,
};

export function usePrompts() {
  return useQuery({
    queryKey: promptKeys.list,
    queryFn: async () => (await api('GET', base, promptListResponse)).prompts,
  });
}

export function usePrompt(name: string | null) {
  return useQuery({
    queryKey: promptKeys.one(name ?? ''),
    queryFn: () => api('GET', at(name!), promptResponse),
    enabled: !!name,
  });
}

export function usePromptVersions(name: string | null) {
  return useQuery({
    queryKey: promptKeys.versions(name ?? ''),
    queryFn: () => api('GET', `${at(name!)}/versions`, promptVersionsResponse),
    enabled: !!name,
  });
}

export const createPrompt = (body: CreatePromptRequest) => api('POST', base, promptResponse, body);
export const updatePrompt = (name: string, body: UpdatePromptRequest) =>
  api('PUT', at(name), promptResponse, body);
export const deletePrompt = (name: string) => sendNoContent('DELETE', at(name));

export const cloneResponse = z.looseObject({ draft_id: z.number().int() });
