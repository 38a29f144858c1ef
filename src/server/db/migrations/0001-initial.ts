import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect';

// Every table of DESIGN §4. Written against Kysely<any> so later schema changes never break it.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (col: any) =>
    pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey();
  const real = pg ? 'double precision' : 'real';

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', id)
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();

  await db.schema
    .createTable('topics')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'integer', id)
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('content', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('category', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sentiment', 'text', (c) => c.notNull().defaultTo('neutral'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('articles_topic_published')
    .on('articles')
    .columns(['topic_id', 'published_at'])
    .execute();

  if (pg) {
    await sql`alter table articles add column search tsvector generated always as (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
      setweight(to_tsvector('english', coalesce(content, '')), 'C')) stored`.execute(db);
    await sql`create index articles_search on articles using gin (search)`.execute(db);
  } else {
    await sql`create virtual table articles_fts using fts5(
      title, summary, content, content='articles', content_rowid='id', tokenize='porter unicode61')`.execute(
      db,
    );
    await sql`create trigger articles_fts_ai after insert on articles begin
      insert into articles_fts(rowid, title, summary, content) values (new.id, new.title, new.summary, new.content);
    end`.execute(db);
    await sql`create trigger articles_fts_ad after delete on articles begin
      insert into articles_fts(articles_fts, rowid, title, summary, content)
        values ('delete', old.id, old.title, old.summary, old.content);
    end`.execute(db);
    await sql`create trigger articles_fts_au after update on articles begin
      insert into articles_fts(articles_fts, rowid, title, summary, content)
        values ('delete', old.id, old.title, old.summary, old.content);
      insert into articles_fts(rowid, title, summary, content) values (new.id, new.title, new.summary, new.content);
    end`.execute(db);
  }

  await db.schema
    .createTable('chats')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('auspex', 'workshop', 'test')`))
    .addColumn('topic', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chats_user_id').on('chats').columns(['user_id', 'kind']).execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'integer', id)
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('system', 'user', 'assistant')`))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_chat_id').on('messages').columns(['chat_id', 'id']).execute();

  await db.schema
    .createTable('prompts')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('prompt_versions')
    .addColumn('id', 'integer', id)
    .addColumn('prompt_id', 'integer', (c) => c.notNull().references('prompts.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('source_draft_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('prompt_versions_prompt_version', ['prompt_id', 'version'])
    .execute();

  await db.schema
    .createTable('drafts')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('draft_name', 'text', (c) => c.notNull())
    .addColumn('draft_description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('draft_content', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'testing', 'ready', 'committed')`),
    )
    .addColumn('workshop_chat_id', 'integer', (c) => c.references('chats.id').onDelete('set null'))
    .addColumn('parent_prompt_name', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('drafts_user_updated')
    .on('drafts')
    .columns(['user_id', 'updated_at'])
    .execute();

  await db.schema
    .createTable('test_runs')
    .addColumn('test_id', 'text', (c) => c.primaryKey())
    .addColumn('draft_id', 'integer', (c) => c.notNull().references('drafts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('article_limit', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('response_length', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tools_used', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('article_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('article_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('execution_time_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_token_ms', 'integer')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('cost_usd', real as any)
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('ok', 'error')`))
    .addColumn('error', 'text')
    .addColumn('user_rating', 'integer', (c) => c.check(sql`user_rating between 1 and 5`))
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('test_runs_draft_created')
    .on('test_runs')
    .columns(['draft_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  for (const t of ['test_runs', 'drafts', 'prompt_versions', 'prompts', 'messages', 'chats']) {
    await db.schema.dropTable(t).execute();
  }
  if (!pg) await sql`drop table articles_fts`.execute(db);
  for (const t of ['articles', 'topics', 'api_tokens', 'sessions', 'users']) {
    await db.schema.dropTable(t).execute();
  }
}
