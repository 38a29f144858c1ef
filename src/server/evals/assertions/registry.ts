import type { DeterministicType } from '../../../shared/assertions';
import { check as citationCoverage } from './citation-coverage';
import { check as citationsGrounded } from './citations-grounded';
import { check as citationsMin } from './citations-min';
import { check as contains } from './contains';
import { check as containsAll } from './contains-all';
import { check as containsAny } from './contains-any';
import { check as datesMatch } from './dates-match';
import { check as equals } from './equals';
import { check as icontains } from './icontains';
import { check as isJson } from './is-json';
import { check as jsonSchema } from './json-schema';
import { check as length } from './length';
import { check as markdownStructure } from './markdown-structure';
import { check as maxCostUsd } from './max-cost-usd';
import { check as maxLatencyMs } from './max-latency-ms';
import { check as quotesVerified } from './quotes-verified';
import { check as regex } from './regex';
import { check as startsWith } from './starts-with';
import type { Check } from './types';

// Every deterministic assertion type and its check. A type added to the shared union without a
// check here fails to compile (the mapped type demands every key); llm-rubric is the judges'.

export const checks = {
  contains,
  icontains,
  'contains-any': containsAny,
  'contains-all': containsAll,
  equals,
  'starts-with': startsWith,
  regex,
  length,
  'is-json': isJson,
  'json-schema': jsonSchema,
  'markdown-structure': markdownStructure,
  'citations-min': citationsMin,
  'max-latency-ms': maxLatencyMs,
  'max-cost-usd': maxCostUsd,
  'citations-grounded': citationsGrounded,
  'citation-coverage': citationCoverage,
  'quotes-verified': quotesVerified,
  'dates-match': datesMatch,
} satisfies { [K in DeterministicType]: Check<K> };

export const DETERMINISTIC_TYPES = Object.keys(checks) as DeterministicType[];

export function isDeterministic(type: string): type is DeterministicType {
  return Object.hasOwn(checks, type);
}
