import { CALL_ID_SLOT, CSEQ_SLOT, FROM_SLOT, type HeaderName, TO_SLOT, VIA_SLOT } from './header-name.js';
import { type CSeq, methodAt } from './cseq.js';
import { NAME_ADDR_SCAN_SIZE, VIA_SCAN_SIZE, fastCSeq, saveNameAddrScan, saveViaScan, scanNameAddr, scanVia } from './fast-views.js';
import type { ParsedHead } from './parsed-head.js';

/**
 * Whether the Via, From, To and Call-ID lines of an unmodified ASCII head all take the fast
 * paths (fast-views.ts), read in place without building anything. Then each of their views
 * parses without error, so checking a message needs none of them built: they wait for a reader.
 * False says nothing either way; the views are then parsed, which finds the error if there is one.
 */
export function essentialsScanClean(head: ParsedHead): boolean {
  // The native head scanner (parser/native-head.ts) may have done these scans already.
  if (head.scans !== undefined) return true;
  if (!head.ascii) return false;
  const scans = newScans();
  scans[CSEQ_SCAN] = -1;
  if (!(viasClean(head, scans) && nameAddrClean(head, FROM_SLOT, scans) && nameAddrClean(head, TO_SLOT, scans) && callIdClean(head))) return false;
  head.scans = scans;
  return true;
}

/** Where ParsedHead.scans keeps the scan of each view's first line. */
export const VIA_SCAN = 0;
export const FROM_SCAN = VIA_SCAN + VIA_SCAN_SIZE;
export const TO_SCAN = FROM_SCAN + NAME_ADDR_SCAN_SIZE;
/** The first CSeq line's number (-1: not read yet) and where its method lies. */
export const CSEQ_SCAN = TO_SCAN + NAME_ADDR_SCAN_SIZE;
export const SCANS_SIZE = CSEQ_SCAN + 3;

/**
 * A new record of SCANS_SIZE entries. A literal, because one is cloned from its boilerplate in a
 * few ns, where a typed array or a filled Array costs tens to hundreds of ns per message.
 */
function newScans(): number[] {
  return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}

if (newScans().length !== SCANS_SIZE) throw new Error('essentials-scan: newScans() does not match SCANS_SIZE');

/** Where ParsedHead.scans keeps the scan of the first From (FROM_SLOT) or To line. */
export function nameAddrScan(slot: number): number {
  return slot === FROM_SLOT ? FROM_SCAN : TO_SCAN;
}

/** Every Via line, from the first to the last the parser noted (none is no error: an empty list). */
function viasClean(head: ParsedHead, scans: number[]): boolean {
  const lines = head.lines;
  const first = head.first[VIA_SLOT] as number;
  for (let i = first; i >= 0 && i <= head.lastVia; i++) {
    if ((lines[3 * i] as HeaderName).view !== VIA_SLOT) continue;
    const start = lines[3 * i + 1] as number;
    if (start < 0 || !scanVia(head.wire, start, lines[3 * i + 2] as number)) return false;
    if (i === first) saveViaScan(scans, VIA_SCAN);
  }
  return true;
}

/** The first line of From or To (`slot`): present, not empty, of the fast shape. */
function nameAddrClean(head: ParsedHead, slot: number, scans: number[]): boolean {
  const i = head.first[slot] as number;
  if (i < 0) return false;
  const start = head.lines[3 * i + 1] as number;
  const end = head.lines[3 * i + 2] as number;
  if (start < 0 || end === start || !scanNameAddr(head.wire, start, end)) return false;
  saveNameAddrScan(scans, nameAddrScan(slot));
  return true;
}

/** The first Call-ID line: present, not empty, printable ASCII without whitespace (fastCallId). */
function callIdClean(head: ParsedHead): boolean {
  const i = head.first[CALL_ID_SLOT] as number;
  if (i < 0) return false;
  const start = head.lines[3 * i + 1] as number;
  const end = head.lines[3 * i + 2] as number;
  if (start < 0 || end === start) return false;
  const b = head.wire;
  for (let k = start; k < end; k++) {
    const c = b[k] as number;
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/**
 * The CSeq of the first CSeq line of a head that passed essentialsScanClean, read straight from
 * it by the fast path; undefined leaves it to the view parser, which then says what is wrong.
 */
export function wireCSeq(head: ParsedHead): CSeq | undefined {
  const scans = head.scans;
  // The native head scanner read the CSeq already: its number, and where its method lies.
  if (scans !== undefined && (scans[CSEQ_SCAN] as number) >= 0) {
    return { seq: scans[CSEQ_SCAN] as number, method: methodAt(head.wire, head.text, scans[CSEQ_SCAN + 1] as number, scans[CSEQ_SCAN + 2] as number) };
  }
  const i = head.first[CSEQ_SLOT] as number;
  if (i < 0) return undefined;
  const start = head.lines[3 * i + 1] as number;
  return start < 0 ? undefined : fastCSeq(head.wire, head.text, start, head.lines[3 * i + 2] as number);
}
