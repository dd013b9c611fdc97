/**
 * A malformed message. Returned, never thrown, so a flood of garbage costs no stack captures;
 * `reason` is short and printable and becomes the reason phrase of the 400 answer.
 */
export class SipParseError {
  readonly name = 'SipParseError';
  constructor(
    readonly reason: string,
    /** The status a request with this defect is answered with (400, or 505/513/416). */
    readonly status: number = 400,
  ) {}

  get message(): string {
    return this.reason;
  }
}

export function isParseError(value: unknown): value is SipParseError {
  return value instanceof SipParseError;
}
