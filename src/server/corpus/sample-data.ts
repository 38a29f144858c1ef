import type { Sentiment } from '../../shared/corpus';
import { ECONOMY_TOPICS } from './sample-topics-economy';
import { SOCIETY_TOPICS } from './sample-topics-society';

// Vocabulary of the generated sample corpus. Every organisation, person and outlet is invented.
// Templates use {actor} {actor2} {subject} {place} {pct} {n} {big} {money} {person} {role}
// {firm} {quarter} {category}; sample.ts fills them from a seeded generator.

export interface TopicSpec {
  name: string;
  slug: string;
  description: string;
  /** How the share of positive coverage moves from the oldest to the newest article. */
  positiveDrift: number;
  categories: string[];
  actors: string[];
  subjects: string[];
  places: string[];
  headlines: Record<Sentiment, string[]>;
  facts: Record<Sentiment, string[]>;
}

export const TOPICS: TopicSpec[] = [...ECONOMY_TOPICS, ...SOCIETY_TOPICS];

export const SOURCES = [
  'The Meridian Ledger',
  'Harbor Street Journal',
  'Northgate Times',
  'Signal & Noise',
  'The Civic Wire',
  'Atlas Business Review',
  'Pinewood Post',
  'Copperline News',
  'The Quarterly Lens',
  'Daily Tessellate',
];

export const FIRMS = [
  'Halvorsen Research',
  'Brightline Analytics',
  'Quarry Partners',
  'Teller & Finch',
  'Oakmont Insights',
  'Lattice Economics',
];

export const FIRST_NAMES = [
  'Dana',
  'Rui',
  'Amara',
  'Jonas',
  'Priya',
  'Mateo',
  'Ines',
  'Kwame',
  'Sofia',
  'Hiroshi',
  'Leila',
  'Tomas',
];
export const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Haddad',
  'Novak',
  'Ferreira',
  'Mensah',
  'Kowalski',
  'Iyer',
];
export const ROLES = [
  'chief executive',
  'chief financial officer',
  'head of operations',
  'chief technology officer',
  'director of research',
  'head of strategy',
];

export const QUOTES: Record<Sentiment, string[]> = {
  positive: [
    '"The results have been better than we planned for," said {person}, {role} at {actor}.',
    '"We are seeing the benefits in the numbers, not just in anecdotes," {person}, {role} at {actor}, said.',
    '"This is the point where {subject} stop being an experiment," said {person} of {firm}.',
    '"Customers noticed the difference within weeks," said {person}, {role} at {actor}.',
  ],
  neutral: [
    '"It is too early to draw firm conclusions," said {person}, {role} at {actor}.',
    '"We want to understand the trade-offs before we commit further," {person} said.',
    '"The picture is mixed and varies a lot by region," said {person} of {firm}.',
    '"We will keep measuring and report what we find," said {person}, {role} at {actor}.',
  ],
  negative: [
    '"We underestimated how hard this would be," said {person}, {role} at {actor}.',
    '"The risks were flagged early and not acted on," {person} of {firm} said.',
    '"Nobody should pretend this is a small setback," said {person}, {role} at {actor}.',
    '"Confidence will take time to rebuild," said {person} of {firm}.',
  ],
};

export const CONTEXT = [
  'The announcement comes as organisations across {place} reassess their plans for {subject}.',
  '{firm} said the move reflects a wider shift in how the sector approaches {subject}.',
  'The {category} segment has drawn growing attention from investors and regulators this year.',
  'Competitors including {actor2} have taken a more cautious approach.',
  'Interest in {subject} has grown steadily over the past {n} quarters.',
  'The decision was first reported by {source}.',
];

export const OUTLOOK = [
  '{actor} is expected to give an update on its plans in {quarter}.',
  'Analysts at {firm} said they would watch whether {actor2} follows.',
  'Further details are due when {actor} reports results in {quarter}.',
  'Observers expect the debate over {subject} to continue into next year.',
  '{actor} declined to comment on the figures beyond its statement.',
  'The next milestone is a review of progress scheduled for {quarter}.',
];

export const QUARTERS = [
  'the first quarter',
  'the second quarter',
  'the third quarter',
  'the fourth quarter',
];
