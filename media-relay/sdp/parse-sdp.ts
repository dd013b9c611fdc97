import { readSessionDescription } from './read-session-description.js';
import type { MediaSection, SessionDescription } from './session-description.js';
import { SdpError } from './sdp-error.js';
import { splitSdpLines } from './sdp-line.js';

export type { SessionDescription } from './session-description.js';

const MAX_SDP_LENGTH = 65_535;
const MAX_PORT = 65_535;
/** RFC 4566 §5: every line is <type>=<value>, the type one lower-case letter. */
const LINE = /^[a-z]=/;
/** The lines whose shape we rely on; any other line passes through unread. */
const LINE_SHAPES: Readonly<Record<string, RegExp>> = {
  v: /^v=0$/,
  o: /^o=\S+ \d+ \d+ IN IP[46] \S+$/,
  c: /^c=IN IP[46] \S+$/,
  m: /^m=\w+ \d+ [\w/]+( \S+)*$/,
};

/**
 * Parses SDP text into its sections after checking the lines we rely on.
 * Returns the description or an SdpError naming the first defect; never throws.
 */
export function parseSdp(text: string): SessionDescription | SdpError {
  if (typeof text !== 'string' || text.length === 0) return new SdpError('empty SDP');
  if (text.length > MAX_SDP_LENGTH) return new SdpError('SDP too large');
  const lines = splitSdpLines(text);
  const lineError = checkLines(lines);
  if (lineError !== undefined) return lineError;
  const description = readSessionDescription(lines);
  return checkDescription(description) ?? description;
}

function checkLines(lines: readonly string[]): SdpError | undefined {
  if (lines[0] !== 'v=0') return new SdpError('SDP must start with v=0');
  let origins = 0;
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    if (!LINE.test(line)) return new SdpError(`SDP line ${i + 1} is not <type>=<value>`);
    const shape = LINE_SHAPES[line.charAt(0)];
    if (shape !== undefined && !shape.test(line.trimEnd())) return new SdpError(`malformed ${line.charAt(0)}= line ${i + 1}`);
    if (line.startsWith('o=')) origins++;
  }
  return origins === 1 ? undefined : new SdpError('SDP needs exactly one o= line');
}

function checkDescription(description: SessionDescription): SdpError | undefined {
  // RFC 8866 §5: o= belongs to the session section, before the first m=.
  if (description.session.origin === undefined) return new SdpError('o= line after an m= line');
  for (const [i, media] of description.media.entries()) {
    const error = checkMedia(media, description.session.connection !== undefined);
    if (error !== undefined) return new SdpError(`m-line ${i + 1}: ${error}`);
  }
  return undefined;
}

function checkMedia(media: MediaSection, sessionConnection: boolean): string | undefined {
  if (!(media.port <= MAX_PORT)) return 'bad port';
  if (media.rtcp !== undefined && !isPort(media.rtcp.port)) return 'bad a=rtcp port';
  if (media.port === 0) return undefined;
  // RFC 8866 §5.7: every stream needs a c= of its own or one at session level.
  return media.connection === undefined && !sessionConnection ? 'no c= line at media or session level' : undefined;
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value > 0 && value <= MAX_PORT;
}
