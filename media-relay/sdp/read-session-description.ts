import { parseConnectionLine, type ConnectionData } from './connection-line.js';
import { directionOf, type MediaDirection } from './direction-attribute.js';
import { parseMediaLine } from './media-line.js';
import { parseOriginLine, type OriginField } from './origin-line.js';
import { parseRtcpAttribute, type RtcpAttribute } from './rtcp-attribute.js';
import type { MediaSection, SessionDescription, SessionSection } from './session-description.js';
import { attributeName, attributeValue } from './sdp-line.js';

/** Typed views of one section, filled while its lines are read. */
interface SectionFields {
  connection: ConnectionData | undefined;
  direction: MediaDirection | undefined;
  origin: OriginField | undefined;
  rtcp: RtcpAttribute | undefined;
  rtcpMux: boolean;
  ptime: number | undefined;
}

/**
 * Groups the lines of an SDP body into its session section and one section per m= line,
 * reading the lines we use on the way. Empty lines are dropped; no line is checked here
 * (parseSdp does that).
 */
export function readSessionDescription(bodyLines: readonly string[]): SessionDescription {
  let lines: string[] = [];
  let fields = emptyFields();
  let session: SessionSection | undefined;
  const media: MediaSection[] = [];
  const close = (): void => {
    if (session === undefined) session = sessionSection(lines, fields);
    else media.push(mediaSection(lines, fields));
  };
  for (const line of bodyLines) {
    if (line === '') continue;
    if (line.startsWith('m=')) {
      close();
      lines = [];
      fields = emptyFields();
    }
    lines.push(line);
    readLine(line, fields);
  }
  close();
  return { session: session ?? sessionSection([], emptyFields()), media };
}

function readLine(line: string, fields: SectionFields): void {
  if (line.startsWith('c=')) fields.connection = parseConnectionLine(line) ?? fields.connection;
  else if (line.startsWith('o=')) fields.origin = parseOriginLine(line) ?? fields.origin;
  else if (line.startsWith('a=')) readAttribute(line, fields);
}

function readAttribute(line: string, fields: SectionFields): void {
  const name = attributeName(line);
  const direction = directionOf(name);
  if (direction !== undefined) fields.direction = direction;
  else if (name === 'rtcp') fields.rtcp = parseRtcpAttribute(line);
  else if (name === 'rtcp-mux') fields.rtcpMux = true;
  else if (name === 'ptime') fields.ptime = ptimeOf(attributeValue(line));
}

function ptimeOf(value: string): number | undefined {
  const ptime = Number.parseFloat(value);
  return Number.isFinite(ptime) ? ptime : undefined;
}

function emptyFields(): SectionFields {
  return { connection: undefined, direction: undefined, origin: undefined, rtcp: undefined, rtcpMux: false, ptime: undefined };
}

function sessionSection(lines: readonly string[], fields: SectionFields): SessionSection {
  return { lines, connection: fields.connection, direction: fields.direction, origin: fields.origin };
}

function mediaSection(lines: readonly string[], fields: SectionFields): MediaSection {
  const { type, port, protocol, formats } = parseMediaLine(lines[0] ?? 'm=');
  return {
    type,
    port,
    protocol,
    formats,
    lines,
    connection: fields.connection,
    direction: fields.direction,
    rtcp: fields.rtcp,
    rtcpMux: fields.rtcpMux,
    ptime: fields.ptime,
  };
}
