// Values the workshop's tests and its benchmark share. No imports: the benchmark's bare baseline
// server loads this file and must stay as light as a bare server.

export const TOPIC = 'AI Adoption';
export const BASE = '/api/auspex/prompts/workshop';
export const MODEL = 'openai:gpt-4.1-mini';

export const DRAFT_TEXT = [
  'You are Auspex, a research assistant for technology strategists.',
  '',
  '## Focus areas',
  '- Adoption of AI in companies: pilots, budgets, staff training.',
  '',
  '## Citation rules',
  '- Cite inline as [Title](URL) right after each claim.',
].join('\n');
