// The API names fields as its JSON does (`draft_name`, `body.message`); people see the labels of
// the form they typed into. One table for every form, used for client checks and server errors.

const LABELS: Record<string, string> = {
  draft_name: 'Name',
  draft_description: 'Description',
  draft_content: 'Prompt',
  starting_prompt: 'Prompt',
  requirements: 'Requirements',
  test_query: 'Query',
  topic: 'Topic',
  limit: 'Articles',
  model: 'Model',
  message: 'Message',
  custom_prompt: 'Custom prompt',
  user_rating: 'Rating',
  notes: 'Notes',
  name: 'Name',
  title: 'Title',
  description: 'Description',
  content: 'Prompt',
  clone_name: 'Name',
  username: 'Username',
  password: 'Password',
  expires_in_days: 'Expiry',
  prompt: 'Prompt',
  pinned_run_id: 'Pinned run',
  repetitions: 'Repetitions',
  concurrency: 'Concurrency',
  budget_usd: 'Budget',
};

/** "body.draft_name" + "draft_name must be 3–100 characters" → "Name must be 3–100 characters". */
export function labelledMessage(path: string, message: string): string {
  const parts = path.split('.').filter((p) => !['body', 'querystring', 'params'].includes(p));
  const field = parts.filter((p) => !/^\d+$/.test(p)).at(-1);
  if (!field) return message;
  const label = LABELS[field];
  // A field no form shows (a suite's cases.3.topic, an import's "line 7"): keep its path.
  if (!label) return `${parts.join('.')}: ${message}`;
  if (message.startsWith(`${field} `)) return `${label}${message.slice(field.length)}`;
  return `${label}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}
