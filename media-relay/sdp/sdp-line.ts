/** RFC 8866 §5: lines end with CRLF; a parser also accepts a bare LF (and we accept a bare CR). */
const LINE_END = /\r\n|\r|\n/;

/** How every line we write ends (RFC 8866 §5). */
export const CRLF = '\r\n';

/** The lines of an SDP body, without their line ends; empty lines included. */
export function splitSdpLines(text: string): string[] {
  return text.split(LINE_END);
}

/** The lines as an SDP body: each one ended with CRLF. */
export function joinSdpLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join(CRLF) + CRLF;
}

/** `rtpmap` for `a=rtpmap:0 PCMU/8000`, `sendrecv` for `a=sendrecv`; '' for a line that is no a=. */
export function attributeName(line: string): string {
  if (!line.startsWith('a=')) return '';
  const colon = line.indexOf(':', 2);
  return colon === -1 ? line.slice(2) : line.slice(2, colon);
}

/** What follows `a=<name>:`; '' for a property attribute such as a=sendrecv (RFC 8866 §5.13). */
export function attributeValue(line: string): string {
  const colon = line.indexOf(':', 2);
  return colon === -1 ? '' : line.slice(colon + 1);
}
