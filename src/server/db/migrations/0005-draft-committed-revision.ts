import { type Kysely, sql } from 'kysely';

// A commit claims its draft with a conditional update on this column (committed at the revision
// it holds, unless already committed at it), so of N parallel commits of one draft state exactly
// one goes on to write a library version. Drafts committed before are marked at their revision
// when their text is still the text of the newest version they made.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('drafts').addColumn('committed_revision', 'integer').execute();
  await sql`update drafts set committed_revision = revision
    where status = 'committed'
      and draft_content = (select v.content from prompt_versions v
                           where v.source_draft_id = drafts.id order by v.id desc limit 1)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('drafts').dropColumn('committed_revision').execute();
}
