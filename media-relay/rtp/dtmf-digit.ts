/** The DTMF keys a telephone-event can carry (RFC 4733 §3.2, events 0-15). */
export type DtmfDigit =
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

const DIGITS: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** The key of a DTMF event code, or undefined for other events (flash, tones). */
export function dtmfDigitOf(event: number): DtmfDigit | undefined {
  return DIGITS[event];
}

export function dtmfEventOf(digit: DtmfDigit): number {
  return DIGITS.indexOf(digit);
}
