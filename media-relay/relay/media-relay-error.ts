/**
 * Why an offer/answer/repoint failed. The signalling layer maps kinds to answers:
 * malformed-sdp -> 488, ports-exhausted -> 503, the rest -> 500 (a bug in the caller).
 */
export type MediaRelayErrorKind =
  | 'malformed-sdp'
  | 'ports-exhausted'
  | 'unknown-call'
  | 'unknown-leg'
  | 'invalid-leg'
  | 'no-pending-offer'
  | 'call-deleted'
  | 'disposed';

/** Returned, never thrown. */
export class MediaRelayError {
  readonly name = 'MediaRelayError';
  constructor(readonly kind: MediaRelayErrorKind, readonly reason: string) {}

  get message(): string {
    return this.reason;
  }
}

export type Failure = { readonly ok: false; readonly error: MediaRelayError };

export function failure(kind: MediaRelayErrorKind, reason: string): Failure {
  return { ok: false, error: new MediaRelayError(kind, reason) };
}
