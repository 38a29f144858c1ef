// Citation grounding, the public face of grounding/: parse an answer's citations, list what to
// look up in the corpus, and report on them against what the cell retrieved.

export type { Block, BlockKind } from './grounding/blocks';
export { findDates } from './grounding/dates';
export {
  type Citation,
  type CitationKind,
  citedArticleIds,
  citedUrls,
  parseAnswer,
  parseCitations,
} from './grounding/parse';
export { normalizeForQuote, type QuoteCheck, quoteIn } from './grounding/quotes';
export {
  type DateCheck,
  type GroundedCitation,
  type GroundingOptions,
  type GroundingReport,
  groundingReport,
} from './grounding/report';
export type { CitationStatus } from './grounding/resolve';
export { inAppArticleId, normalizeUrl } from './grounding/urls';
