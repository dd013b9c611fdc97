import { isTokenChar } from '../parser/char-codes.js';
import * as codes from '../parser/char-codes.js';
import type { Params } from './params.js';

// Hot loops read module-local constants: an imported binding is loaded from its module cell,
// with a check, at every use; so is an exported one, so the exports below are aliases.
const EQUALS = codes.EQUALS;
const SEMI = codes.SEMI;

/**
 * Fast paths for the shapes nearly every message has, read from the bytes of an ASCII head (a
 * byte loop is much cheaper than charCodeAt) with strings cut from its text at the same offsets.
 * Each accepts only a subset of what the general parser accepts, on which both give the same
 * value, and returns undefined for anything else, which then goes to the general parser: that
 * one alone decides errors, case folding, escapes, LWS and quoting.
 */

/** Byte classes, as bit flags. */
const TOKEN_BIT = 1;
/** Token chars but upper-case letters (names the general parsers would lower-case). */
const LOWER_TOKEN_BIT = 2;
/** A host name without upper case: [a-z0-9.-]. */
const HOST_BIT = 4;
/** URI chars that may stand in a user part, but '%' (escapes) and ':' (a password). */
const USER_BIT = 8;
/** URI chars of a uri-parameter value, but ';' '?' '=' '%' '@'. */
const URI_PARAM_BIT = 16;
/** The same without upper case, for names (which the general parser lower-cases). */
const URI_PARAM_NAME_BIT = 64;
/** Chars of a header parameter value, but ';' ',' '"' and LWS. */
const PARAM_VALUE_BIT = 32;

const CLASSES = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) {
  let bits = 0;
  const lowerAlnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
  // isUriChar (uri-params.ts): printable, but < > and ".
  const uriChar = c !== 0x3c && c !== 0x3e && c !== 0x22;
  if (isTokenChar(c)) bits |= TOKEN_BIT | (c >= 0x41 && c <= 0x5a ? 0 : LOWER_TOKEN_BIT);
  if (lowerAlnum || c === 0x2e || c === 0x2d) bits |= HOST_BIT;
  if (uriChar && c !== 0x25 && c !== 0x3a && c !== 0x40) bits |= USER_BIT;
  if (uriChar && c !== 0x3b && c !== 0x3f && c !== 0x3d && c !== 0x25 && c !== 0x40) {
    bits |= URI_PARAM_BIT | (c >= 0x41 && c <= 0x5a ? 0 : URI_PARAM_NAME_BIT);
  }
  if (c !== 0x3b && c !== 0x2c && c !== 0x22) bits |= PARAM_VALUE_BIT;
  CLASSES[c] = bits;
}

export const TOKEN = TOKEN_BIT;
export const LOWER_TOKEN = LOWER_TOKEN_BIT;
export const HOST = HOST_BIT;
export const USER = USER_BIT;
export const URI_PARAM = URI_PARAM_BIT;
export const URI_PARAM_NAME = URI_PARAM_NAME_BIT;
export const PARAM_VALUE = PARAM_VALUE_BIT;
export const BYTE_CLASS = CLASSES;

/**
 * Where scanParams found each value, start and end: start -1 when the parameter is absent (its
 * end is then stale), an empty range (never a value: values are not empty) when it has no value.
 */
const PICKED = { tag: -1, tagEnd: -1, branch: -1, branchEnd: -1, received: -1, receivedEnd: -1, rport: -1, rportEnd: -1 };
export const picked = PICKED;

/**
 * Header parameters `;name[=value]` filling [start, end): lower-case token names, values of
 * plain chars, no LWS, no quotes; false for anything else. Nothing is built: where the values
 * of tag, branch, received and rport lie (the ones a stack reads of every message) goes into
 * `picked`, -1 when absent, a repeated name counting by its last value as in a Map. The
 * general parser (parseParams) reads such a range to the Map when someone asks for it.
 */
export function scanParams(b: Buffer, start: number, end: number): boolean {
  PICKED.tag = PICKED.branch = PICKED.received = PICKED.rport = -1;
  let i = start;
  while (i < end) {
    if (b[i] !== SEMI) return false;
    const nameStart = ++i;
    while (i < end && ((CLASSES[b[i] as number] as number) & LOWER_TOKEN_BIT) !== 0) i++;
    const nameLength = i - nameStart;
    if (nameLength === 0) return false;
    let valueStart = i;
    if (i < end && b[i] === EQUALS) {
      valueStart = ++i;
      while (i < end && ((CLASSES[b[i] as number] as number) & PARAM_VALUE_BIT) !== 0) i++;
      if (i === valueStart) return false;
    }
    pick(b, nameStart, nameLength, valueStart, i);
  }
  return true;
}

/** Notes where the value of a picked parameter lies: by its length, then its bytes as words. */
function pick(b: Buffer, name: number, length: number, start: number, end: number): void {
  if (length === 6) {
    if (quad(b, name) === BRAN && pair(b, name + 4) === CH) {
      PICKED.branch = start;
      PICKED.branchEnd = end;
    }
  } else if (length === 3) {
    if (pair(b, name) === TA && b[name + 2] === 0x67) {
      PICKED.tag = start;
      PICKED.tagEnd = end;
    }
  } else if (length === 8) {
    if (quad(b, name) === RECE && quad(b, name + 4) === IVED) {
      PICKED.received = start;
      PICKED.receivedEnd = end;
    }
  } else if (length === 5 && quad(b, name) === RPOR && b[name + 4] === 0x74) {
    PICKED.rport = start;
    PICKED.rportEnd = end;
  }
}

/** Bytes [i, i + 4) packed big-endian into an int32, as quadOf packs a constant. */
function quad(b: Buffer, i: number): number {
  return ((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number);
}

function pair(b: Buffer, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function quadOf(s: string): number {
  return (s.charCodeAt(0) << 24) | (s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3);
}

const BRAN = quadOf('bran');
const CH = (0x63 << 8) | 0x68;
const TA = (0x74 << 8) | 0x61;
const RECE = quadOf('rece');
const IVED = quadOf('ived');
const RPOR = quadOf('rpor');

/** The Map of a range scanParams accepted, for the readers that want plain objects. */
export function paramMap(b: Buffer, t: string, start: number, end: number): Params {
  const map = new Map<string, string | null>();
  let i = start;
  while (i < end) {
    const nameStart = ++i;
    while (i < end && b[i] !== EQUALS && b[i] !== SEMI) i++;
    const known = knownParam(b, nameStart, i);
    const name = known >= 0 ? COMMON[known] as string : t.slice(nameStart, i);
    if (i < end && b[i] === EQUALS) {
      const valueStart = ++i;
      while (i < end && b[i] !== SEMI) i++;
      map.set(name, t.slice(valueStart, i));
    } else {
      map.set(name, null);
    }
  }
  return map;
}

/** A buffer for asciiBytes(): strings of up to a quarter of its size cannot overflow it. */
const SCRATCH = Buffer.allocUnsafe(4096);

/**
 * The bytes of `s`, for the fast paths, when it is ASCII (its UTF-8 form is as long as it is):
 * a shared buffer, valid until the next call, so only for a parse that keeps no reference.
 */
export function asciiBytes(s: string): Buffer | undefined {
  if (s.length > SCRATCH.length / 4) return undefined;
  return SCRATCH.write(s, 0, 'utf8') === s.length ? SCRATCH : undefined;
}

/** The parameter names a stack reads, as constants (hashed once, compared by identity). */
const COMMON = ['tag', 'branch', 'received', 'rport', 'lr', 'transport'];
const TAG = 0;
const BRANCH = 1;
const RECEIVED = 2;
const RPORT = 3;
const LR = 4;
const TRANSPORT = 5;

/** The bytes of each COMMON name: compared with a byte loop, cheaper than charCodeAt. */
const COMMON_BYTES = COMMON.map((name) => Uint8Array.from(Buffer.from(name, 'latin1')));

/** The index in COMMON of the name at bytes [start, end), or -1; by length first, then bytes. */
export function knownParam(b: Buffer, start: number, end: number): number {
  switch (end - start) {
    case 3: return matches(b, start, TAG) ? TAG : -1;
    case 6: return matches(b, start, BRANCH) ? BRANCH : -1;
    case 8: return matches(b, start, RECEIVED) ? RECEIVED : -1;
    case 5: return matches(b, start, RPORT) ? RPORT : -1;
    case 2: return matches(b, start, LR) ? LR : -1;
    case 9: return matches(b, start, TRANSPORT) ? TRANSPORT : -1;
    default: return -1;
  }
}

/** Whether the bytes at `start` spell COMMON[k]. */
function matches(b: Buffer, start: number, k: number): boolean {
  const name = COMMON_BYTES[k] as Uint8Array;
  for (let i = 0; i < name.length; i++) if (b[start + i] !== name[i]) return false;
  return true;
}

/** The constant spelling of COMMON[k]. */
export function commonParam(k: number): string {
  return COMMON[k] as string;
}
