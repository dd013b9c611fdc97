/** a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>] (RFC 8866 §6.6). */
export interface Rtpmap {
  readonly payloadType: number;
  readonly name: string;
  /** The clock rate as written; '' when absent. */
  readonly clockRate: string;
  /** The encoding parameters (channels for audio) as written; undefined when absent. */
  readonly channels: string | undefined;
}

/** a=fmtp:<payload type> <format specific parameters> (RFC 8866 §6.15). */
export interface Fmtp {
  readonly payloadType: number;
  readonly parameters: string;
}

const RTPMAP = /^a=rtpmap:(\d+) ([\w\-.]*)(?:\s*\/(\d*)(?:\s*\/(\S*))?)?/;
const FMTP = /^a=fmtp:(\d+) (.*)/;

export function parseRtpmap(line: string): Rtpmap | undefined {
  const match = RTPMAP.exec(line);
  if (match === null) return undefined;
  return { payloadType: Number(match[1]), name: match[2] ?? '', clockRate: match[3] ?? '', channels: match[4] };
}

export function parseFmtp(line: string): Fmtp | undefined {
  const match = FMTP.exec(line);
  return match === null ? undefined : { payloadType: Number(match[1]), parameters: match[2] ?? '' };
}
