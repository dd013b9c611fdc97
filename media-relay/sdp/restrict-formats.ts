import { codecsOf, sameCodec, type Codec } from './codec.js';
import { mediaLine } from './media-line.js';
import type { MediaSection } from './session-description.js';
import { attributeName } from './sdp-line.js';

/** Attributes that describe one payload type and must follow the formats kept. */
const FORMAT_ATTRIBUTES: ReadonlySet<string> = new Set(['rtpmap', 'fmtp']);
/** Lines that precede the attributes of a media section (RFC 8866 §5: m, i, c, b, k, then a). */
const BEFORE_ATTRIBUTES = /^[micbk]=/;
const RTCP_FB = /^a=rtcp-fb:(\S*)(.*)$/;

/**
 * The media section offering exactly `codecs`, numbered as given: the m= format list, one
 * a=rtpmap (and a=fmtp where the codec has parameters) per codec in place of the section's own,
 * and a=rtcp-fb lines following their codec to its new number. Every other line stays.
 */
export function restrictFormats(section: MediaSection, codecs: readonly Codec[]): string[] {
  const renumber = renumbering(section, codecs);
  const formats = codecs.map((codec) => String(codec.payloadType));
  const lines = [mediaLine({ type: section.type, port: section.port, protocol: section.protocol, formats })];
  const formatsAt = formatLinesIndex(section.lines);
  section.lines.forEach((line, index) => {
    if (index === formatsAt) lines.push(...codecs.flatMap(formatLinesOf));
    if (index === 0 || FORMAT_ATTRIBUTES.has(attributeName(line))) return;
    const kept = line.startsWith('a=rtcp-fb:') ? renumberFeedback(line, renumber) : line;
    if (kept !== undefined) lines.push(kept);
  });
  if (formatsAt === section.lines.length) lines.push(...codecs.flatMap(formatLinesOf));
  return lines;
}

/** Where the section's own a=rtpmap or a=fmtp begin; else its first attribute; else its end. */
function formatLinesIndex(lines: readonly string[]): number {
  const own = lines.findIndex((line) => FORMAT_ATTRIBUTES.has(attributeName(line)));
  if (own !== -1) return own;
  const firstAttribute = lines.findIndex((line, index) => index > 0 && !BEFORE_ATTRIBUTES.test(line));
  return firstAttribute === -1 ? lines.length : firstAttribute;
}

/** The section's own payload type of each codec, mapped to the codec's number. */
function renumbering(section: MediaSection, codecs: readonly Codec[]): Map<string, number> {
  const own = codecsOf(section);
  return new Map(codecs.flatMap((codec) => {
    const match = own.find((candidate) => sameCodec(codec, candidate));
    return match === undefined ? [] : [[String(match.payloadType), codec.payloadType] as const];
  }));
}

/** RFC 4585 §4.2: a=rtcp-fb names a payload type or `*`; wildcard lines stay, others follow their codec. */
function renumberFeedback(line: string, renumber: ReadonlyMap<string, number>): string | undefined {
  const match = RTCP_FB.exec(line);
  if (match === null || match[1] === '*') return line;
  const payloadType = renumber.get(match[1] ?? '');
  return payloadType === undefined ? undefined : `a=rtcp-fb:${payloadType}${match[2] ?? ''}`;
}

function formatLinesOf(codec: Codec): string[] {
  const channels = codec.channels > 1 ? `/${codec.channels}` : '';
  const rtpmap = `a=rtpmap:${codec.payloadType} ${codec.name}/${codec.clockRate}${channels}`;
  return codec.fmtp === undefined ? [rtpmap] : [rtpmap, `a=fmtp:${codec.payloadType} ${codec.fmtp}`];
}
