/**
 * A session description we cannot use. Returned, never thrown; `reason` is short and printable,
 * fit for a log line and for the reason phrase of the 488 the signalling layer answers with.
 */
export class SdpError {
  readonly name = 'SdpError';
  constructor(readonly reason: string) {}

  get message(): string {
    return this.reason;
  }
}

export function isSdpError(value: unknown): value is SdpError {
  return value instanceof SdpError;
}
