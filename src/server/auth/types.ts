import type { Role } from '../../shared/auth';

// Who is signed in, as every feature sees it. A leaf file (types only, no imports from the auth
// feature's service or repository), so core code and every feature may depend on it without
// depending on how users, sessions and tokens are stored.

export interface AuthUser {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  disabled: boolean;
  created_at: string;
}
