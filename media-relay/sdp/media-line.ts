/** The fields of an m= line (RFC 8866 §5.14): m=<media> <port> <proto> <fmt> ... */
export interface MediaLine {
  readonly type: string;
  /** NaN when the port is not a plain decimal number (a leading zero, a port count). */
  readonly port: number;
  readonly protocol: string;
  readonly formats: readonly string[];
}

const PORT = /^(0|[1-9]\d*)$/;

export function parseMediaLine(line: string): MediaLine {
  const [type = '', port = '', protocol = '', ...formats] = line.slice(2).split(' ');
  return {
    type,
    port: PORT.test(port) ? Number(port) : Number.NaN,
    protocol,
    formats: formats.filter((format) => format !== ''),
  };
}

/** The m= line with another port, the rest of it as it was. */
export function withPort(line: string, port: number): string {
  const start = line.indexOf(' ') + 1;
  const end = line.indexOf(' ', start);
  return `${line.slice(0, start)}${port}${end === -1 ? '' : line.slice(end)}`;
}

export function mediaLine(media: MediaLine): string {
  const formats = media.formats.length === 0 ? '' : ` ${media.formats.join(' ')}`;
  return `m=${media.type} ${media.port} ${media.protocol}${formats}`;
}
