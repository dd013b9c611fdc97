import { SipParseError } from '../parser/sip-parse-error.js';
import { COMMA, DQUOTE, GT, LT, trimLws } from '../parser/char-codes.js';
import { skipQuoted } from './params.js';

/**
 * Splits a comma-separated header value (§7.3.1) at commas outside quoted strings and `<...>`.
 * Empty elements are a syntax error for the list headers this is used on.
 */
export function splitHeaderList(value: string): string[] | SipParseError {
  // Most list headers hold one value per line: nothing to split.
  if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
    const one = trimLws(value);
    return one.length === 0 ? new SipParseError('Empty element in header list') : [one];
  }
  const parts: string[] = [];
  let start = 0;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === DQUOTE) {
      const end = skipQuoted(value, i);
      if (end < 0) return new SipParseError('Unterminated quoted string');
      i = end - 1;
    } else if (c === LT) inAngle = true;
    else if (c === GT) inAngle = false;
    else if (c === COMMA && !inAngle) {
      const part = pushPart(parts, value, start, i);
      if (part) return part;
      start = i + 1;
    }
  }
  return pushPart(parts, value, start, value.length) ?? parts;
}

function pushPart(parts: string[], value: string, start: number, end: number): SipParseError | undefined {
  const part = trimLws(value, start, end);
  if (part.length === 0) return new SipParseError('Empty element in header list');
  parts.push(part);
  return undefined;
}
