import { z } from 'zod';

export const role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof role>;

export const username = z
  .string()
  .trim()
  .min(3, 'username must be 3–50 characters')
  .max(50, 'username must be 3–50 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'username may contain letters, digits, _ . and - only');

export const password = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(200, 'password must be at most 200 characters');

export const loginRequest = z.object({
  username: z.string().min(1).max(50),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginRequest>;

export const userResponse = z.object({
  id: z.number(),
  username: z.string(),
  display_name: z.string(),
  role,
  disabled: z.boolean(),
  created_at: z.string(),
});
export type UserResponse = z.infer<typeof userResponse>;

export const meResponse = z.object({ user: userResponse, auth: z.enum(['session', 'token']) });
export type MeResponse = z.infer<typeof meResponse>;

/** Who is signed in, or nobody: answered with 200 either way, so a signed-out page logs no error. */
export const sessionResponse = z.object({
  user: userResponse.nullable(),
  auth: z.enum(['session', 'token']).nullable(),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

export const createTokenRequest = z.object({
  name: z.string().trim().min(1, 'name must be 1–100 characters').max(100, 'name must be 1–100 characters'),
  /** Omitted: the token works until it is revoked. */
  expires_in_days: z
    .number()
    .int('expires_in_days must be a whole number of days')
    .min(1, 'expires_in_days must be 1–3650')
    .max(3650, 'expires_in_days must be 1–3650')
    .optional(),
});
export type CreateTokenRequest = z.infer<typeof createTokenRequest>;

export const tokenResponse = z.object({
  id: z.number(),
  name: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  status: z.enum(['active', 'expired']),
});
export type TokenResponse = z.infer<typeof tokenResponse>;

export const createTokenResponse = tokenResponse.extend({ token: z.string() });
export type CreateTokenResponse = z.infer<typeof createTokenResponse>;

export const listTokensResponse = z.object({ tokens: z.array(tokenResponse) });
export type ListTokensResponse = z.infer<typeof listTokensResponse>;

export const createUserRequest = z.object({
  username,
  password,
  display_name: z.string().trim().min(1).max(100).optional(),
  role: role.default('member'),
});
export type CreateUserRequest = z.infer<typeof createUserRequest>;

export const updateUserRequest = z.object({
  disabled: z.boolean().optional(),
  role: role.optional(),
  display_name: z.string().trim().min(1).max(100).optional(),
});

export const usersResponse = z.object({ users: z.array(userResponse) });
