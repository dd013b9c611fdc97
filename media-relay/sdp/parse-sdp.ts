import { parse, type SessionDescription } from 'sdp-transform';
import { SdpError } from './sdp-error.js';

const MAX_SDP_LENGTH = 65_535;
const MAX_PORT = 65_535;
/** RFC 4566 §5: every line is <type>=<value>, the type one lower-case letter. */
const LINE = /^[a-z]=/;
/** The lines whose shape we rely on, checked here because sdp-transform drops what it cannot match. */
const LINE_SHAPES: Readonly<Record<string, RegExp>> = {
  v: /^v=0$/,
  o: /^o=\S+ \d+ \d+ IN IP[46] \S+$/,
  c: /^c=IN IP[46] \S+$/,
  m: /^m=\w+ \d+ [\w/]+( \S+)*$/,
};

/**
 * Parses SDP text with sdp-transform after checking what sdp-transform would silently skip.
 * Returns the parsed description or an SdpError naming the first defect; never throws.
 */
export function parseSdp(text: string): SessionDescription | SdpError {
  if (typeof text !== 'string' || text.length === 0) return new SdpError('empty SDP');
  if (text.length > MAX_SDP_LENGTH) return new SdpError('SDP too large');
  const lineError = checkLines(text);
  if (lineError !== undefined) return lineError;
  let session: SessionDescription;
  try {
    session = parse(text);
  } catch {
    return new SdpError('SDP not parseable');
  }
  return checkSession(session) ?? session;
}

function checkLines(text: string): SdpError | undefined {
  const lines = text.split(/\r\n|\r|\n/);
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

function checkSession(session: SessionDescription): SdpError | undefined {
  for (const [i, media] of session.media.entries()) {
    const where = `m-line ${i + 1}`;
    if (typeof media.port !== 'number' || media.port > MAX_PORT) return new SdpError(`${where}: bad port`);
    if (media.rtcp !== undefined && !isPort(media.rtcp.port)) return new SdpError(`${where}: bad a=rtcp port`);
    if (media.port === 0) continue;
    const connection = media.connection ?? session.connection;
    if (connection === undefined) return new SdpError(`${where}: no c= line at media or session level`);
  }
  return undefined;
}

function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_PORT;
}
