import { createHmac, randomBytes } from 'node:crypto';
import type { SipRequest } from '../message/sip-message.js';
import { MAGIC_COOKIE } from '../message/via.js';
import { randomText } from '../message/random-pool.js';

/**
 * §8.1.1.7: a branch unique across space and time, starting with the magic cookie. Random
 * (96 bits) rather than counted, so that an off-path attacker cannot guess it and inject
 * responses over UDP.
 */
export function makeBranch(): string {
  return MAGIC_COOKIE + randomText(12);
}

/** §19.3: a tag with at least 32 random bits (we use 72). */
export function makeTag(): string {
  return randomText(9);
}

/** Keys the stateless tags of this process: unpredictable to others, stable for its lifetime. */
const STATELESS_KEY = randomBytes(16);

/**
 * §8.2.7: a stateless UAS MUST give the same request the same To tag every time it answers it,
 * retransmissions included. A keyed hash of what identifies the request (top Via branch,
 * Call-ID, From tag, CSeq) does, with no state, and still cannot be guessed from outside.
 */
export function statelessTag(request: SipRequest): string {
  const branch = request.check('via') === undefined ? request.vias[0]?.branch ?? '' : '';
  const fromTag = request.check('from') === undefined ? request.fromTag ?? '' : '';
  const cseq = request.check('cseq') === undefined ? `${request.cseq.seq} ${request.cseq.method}` : '';
  return createHmac('sha256', STATELESS_KEY)
    .update(`${branch}\n${request.check('call-id') === undefined ? request.callId : ''}\n${fromTag}\n${cseq}`)
    .digest('base64url')
    .slice(0, 12);
}
