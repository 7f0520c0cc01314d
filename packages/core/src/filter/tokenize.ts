import { DomainError } from '../errors.ts';
import type { FilterErrorDetails } from './types.ts';

/**
 * Tokens of the filter language. Operators are single characters; everything between two operators is
 * one `term` (e.g. `due before: next friday`), classified later by the parser. Inside a term, `"…"`
 * quotes and `\` escapes keep operator characters literal (`search: "R&D"`, `search: R\&D`).
 */
export type FilterToken =
  | { kind: 'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'eof'; start: number; end: number }
  | { kind: 'term'; start: number; end: number; text: string };

const operatorKinds = { '&': 'and', '|': 'or', '(': 'lparen', ')': 'rparen' } as const;

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

export function filterError(position: number, expected: string, found: string): DomainError {
  const details: FilterErrorDetails = { position, expected, found };
  return new DomainError(
    'INVALID_FILTER',
    `Invalid filter at position ${position}: expected ${expected}, found ${found}`,
    details,
  );
}

/** Describes the text at `pos` for an error message. */
export function describeAt(text: string, pos: number): string {
  if (pos >= text.length) return 'end of filter';
  let end = pos;
  while (end < text.length && end - pos < 24 && !isSpace(text[end]!)) end++;
  return JSON.stringify(text.slice(pos, Math.max(end, pos + 1)));
}

/**
 * Splits a filter into tokens in one left-to-right pass (each character is looked at once, so the cost is
 * linear in the input whatever it contains). `!` is an operator only where a term could start; inside a
 * term (`search: wow!`) it is text.
 */
export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  const n = text.length;
  let i = 0;
  while (true) {
    while (i < n && isSpace(text[i]!)) i++;
    if (i >= n) break;
    const ch = text[i]!;
    if (ch === '&' || ch === '|' || ch === '(' || ch === ')') {
      tokens.push({ kind: operatorKinds[ch], start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '!') {
      tokens.push({ kind: 'not', start: i, end: i + 1 });
      i++;
      continue;
    }
    const start = i;
    let lastNonSpace = i;
    let quoteAt = -1;
    while (i < n) {
      const c = text[i]!;
      if (quoteAt >= 0) {
        if (c === '\\' && i + 1 < n) i++;
        else if (c === '"') quoteAt = -1;
      } else if (c === '&' || c === '|' || c === '(' || c === ')') {
        break;
      } else if (c === '\\') {
        // a trailing backslash escapes nothing and stays literal
        if (i + 1 < n) i++;
      } else if (c === '"') {
        quoteAt = i;
      }
      if (!isSpace(text[i]!)) lastNonSpace = i;
      i++;
    }
    if (quoteAt >= 0)
      throw filterError(quoteAt, 'a closing " for this quote', 'a quote that is never closed');
    tokens.push({ kind: 'term', start, end: lastNonSpace + 1, text: text.slice(start, lastNonSpace + 1) });
  }
  tokens.push({ kind: 'eof', start: n, end: n });
  return tokens;
}
