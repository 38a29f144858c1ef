import { sql } from 'kysely';
import type { DB } from '../db/database';

/** One trivial round trip; throws when the database cannot be reached. */
export async function pingDatabase(db: DB): Promise<void> {
  await sql`select 1`.execute(db);
}
