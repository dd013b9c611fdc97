import type { SipMessage } from '../../sip-stack/message/sip-message.js';

/**
 * Headers that belong to one hop or one dialog, or that the B2BUA writes itself; every other
 * header passes from one leg to the other byte for byte.
 */
const LEG_LOCAL = new Set([
  'via', 'route', 'record-route', 'contact', 'from', 'to', 'call-id', 'cseq', 'max-forwards',
  'content-length', 'content-type', 'authorization', 'proxy-authorization', 'www-authenticate',
  'proxy-authenticate', 'proxy-require', 'require', 'supported', 'allow', 'session-expires', 'min-se',
  'p-asserted-identity', 'p-preferred-identity', 'remote-party-id', 'rseq', 'rack', 'accept',
  'server', 'user-agent', 'reason', 'expires', 'min-expires', 'unsupported',
]);

export function passThroughHeaders(message: SipMessage): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = [];
  const count = message.lineCount();
  for (let i = 0; i < count; i++) if (!LEG_LOCAL.has(message.lineKey(i))) out.push([message.lineName(i), message.lineValue(i)]);
  return out;
}
