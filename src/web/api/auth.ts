import { type QueryClient, useQuery } from '@tanstack/react-query';
import {
  type CreateTokenRequest,
  createTokenResponse,
  type LoginRequest,
  listTokensResponse,
  type MeResponse,
  meResponse,
  sessionResponse,
} from '../../shared/auth';
import { api, sendNoContent, setSigningOut } from './http';

export const meKey = ['me'] as const;

/** The signed-in user, or null when signed out; asked of a route that answers 200 either way. */
export async function fetchMe(): Promise<MeResponse | null> {
  const session = await api('GET', '/api/auth/session', sessionResponse);
  return session.user && session.auth ? { user: session.user, auth: session.auth } : null;
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

export const login = (body: LoginRequest) => api('POST', '/api/auth/login', meResponse, body);

export const logout = () => sendNoContent('POST', '/api/auth/logout');

/** Drops everything cached for the signed-out user. */
export function forgetSession(queryClient: QueryClient): void {
  queryClient.setQueryData(meKey, null);
  setSigningOut(false);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
}

export const tokensKey = ['tokens'] as const;

export function useTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: () => api('GET', '/api/auth/tokens', listTokensResponse).then((r) => r.tokens),
  });
}

export const createToken = (body: CreateTokenRequest) =>
  api('POST', '/api/auth/tokens', createTokenResponse, body);

export const revokeToken = (id: number) => sendNoContent('DELETE', `/api/auth/tokens/${id}`);
