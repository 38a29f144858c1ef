import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

// Timestamps are ISO-8601 UTC strings on both engines, so they sort and compare the same way.
// JSON columns are text holding JSON; booleans are 0/1 integers.

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: 'admin' | 'member';
  disabled: Generated<number>;
  created_at: string;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie token
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface TopicsTable {
  id: Generated<number>;
  name: string;
  description: string;
  is_sample: Generated<number>;
  created_at: string;
}

export interface ArticlesTable {
  id: Generated<number>;
  topic_id: number;
  title: string;
  url: string;
  source: string;
  published_at: string;
  summary: string;
  content: string;
  category: string;
  sentiment: string;
  created_at: string;
}

export interface ChatsTable {
  id: Generated<number>;
  user_id: number;
  kind: 'auspex' | 'workshop' | 'test';
  topic: string | null;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: Generated<number>;
  chat_id: number;
  role: 'system' | 'user' | 'assistant';
  content: string;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  metadata: string; // JSON object
  created_at: string;
}

export interface PromptsTable {
  id: Generated<number>;
  name: string;
  title: string;
  description: string;
  owner_id: number | null;
  is_default: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface PromptVersionsTable {
  id: Generated<number>;
  prompt_id: number;
  version: number;
  content: string;
  message: string;
  author_id: number | null;
  source_draft_id: number | null;
  created_at: string;
}

export interface DraftsTable {
  id: Generated<number>;
  user_id: number;
  draft_name: string;
  draft_description: string;
  draft_content: string;
  status: 'draft' | 'testing' | 'ready' | 'committed';
  workshop_chat_id: number | null;
  parent_prompt_name: string | null;
  revision: Generated<number>;
  /** Stored test runs; raised with each run in the run's own transaction. */
  test_count: Generated<number>;
  /** The revision last committed to the library; a commit claims the draft only at another one. */
  committed_revision: number | null;
  metadata: string; // JSON object
  created_at: string;
  updated_at: string;
}

export interface TestRunsTable {
  test_id: string;
  draft_id: number;
  user_id: number;
  content_sha256: string;
  content: string;
  query: string;
  topic: string;
  model: string;
  article_limit: number;
  response: string;
  response_length: number;
  tools_used: string; // JSON array
  article_ids: string; // JSON array of numbers
  article_count: number;
  execution_time_ms: number;
  first_token_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  status: 'ok' | 'error';
  error: string | null;
  user_rating: number | null;
  notes: string | null;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  topics: TopicsTable;
  articles: ArticlesTable;
  chats: ChatsTable;
  messages: MessagesTable;
  prompts: PromptsTable;
  prompt_versions: PromptVersionsTable;
  drafts: DraftsTable;
  test_runs: TestRunsTable;
  suites: SuitesTable;
  suite_versions: SuiteVersionsTable;
  eval_runs: EvalRunsTable;
  eval_cells: EvalCellsTable;
  cell_scores: CellScoresTable;
  cell_reviews: CellReviewsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ArticleRow = Selectable<ArticlesTable>;
export type DraftRow = Selectable<DraftsTable>;
export type TestRunRow = Selectable<TestRunsTable>;
export type ChatRow = Selectable<ChatsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type PromptRow = Selectable<PromptsTable>;
export type PromptVersionRow = Selectable<PromptVersionsTable>;

export interface SuitesTable {
  id: Generated<number>;
  owner_id: number;
  name: string;
  description: string;
  current_version: number;
  created_at: string;
  updated_at: string;
}

export interface SuiteVersionsTable {
  id: Generated<number>;
  suite_id: number;
  version: number;
  /** JSON array of cases (src/shared/evals.ts evalCase). */
  cases: string;
  case_count: number;
  author_id: number | null;
  created_at: string;
  /** JSON {assertions, threshold?} applied to every case (src/shared/assertions.ts suiteScoring). */
  scoring: string | null;
}

export type EvalRunStatus = 'queued' | 'running' | 'done' | 'cancelled' | 'failed';
export type EvalCellStatus = 'pending' | 'running' | 'ok' | 'error' | 'skipped';

export interface EvalRunsTable {
  id: Generated<number>;
  owner_id: number;
  suite_id: number;
  suite_version_id: number;
  /** JSON array of resolved variants (src/shared/evals.ts runVariant). */
  variants: string;
  repetitions: number;
  concurrency: number;
  status: EvalRunStatus;
  budget_usd: number | null;
  spent_usd: Generated<number>;
  total_cells: number;
  /** JSON of the estimate shown before the run started. */
  estimate: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON of the run-level scoring a re-score applied (null: the suite version's own). */
  scoring: string | null;
  scored_at: string | null;
}

export interface EvalCellsTable {
  id: Generated<number>;
  run_id: number;
  case_index: number;
  variant_index: number;
  repetition: number;
  status: EvalCellStatus;
  skipped_reason: string | null;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_until: string | null;
  answer: string | null;
  model: string | null;
  /** JSON array of article ids the model saw. */
  article_ids: string | null;
  /** JSON: {mode, limit, agentic, pinned_run_id?}. */
  retrieval: string | null;
  corpus_fingerprint: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  first_token_ms: number | null;
  execution_time_ms: number | null;
  error: string | null;
  finished_at: string | null;
  /** 1/0 once scored; null when the cell has no assertions or is not scored. */
  passed: number | null;
  score: number | null;
  grounding_precision: number | null;
  invented_urls: number | null;
  citation_coverage: number | null;
  judge_cost_usd: number | null;
  scored_at: string | null;
}

export interface CellScoresTable {
  id: Generated<number>;
  cell_id: number;
  position: number;
  source: 'case' | 'suite' | 'run';
  type: string;
  status: 'ok' | 'error' | 'judge_error';
  pass: number | null;
  score: number | null;
  rating: number | null;
  weight: number;
  reason: string;
  /** JSON of the check's details (e.g. each citation's status). */
  details: string | null;
  judge_model: string | null;
  judge_input_tokens: number | null;
  judge_output_tokens: number | null;
  judge_cost_usd: number | null;
  created_at: string;
}

export interface CellReviewsTable {
  id: Generated<number>;
  cell_id: number;
  reviewer_id: number;
  pass: number | null;
  rating: number | null;
  notes: string;
  created_at: string;
  updated_at: string;
}
