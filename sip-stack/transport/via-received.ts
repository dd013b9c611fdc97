import type { SipRequest } from '../message/sip-message.js';
import { splitHeaderList } from '../message/header-list.js';
import { formatVia, type Via } from '../message/via.js';
import { SipParseError } from '../parser/sip-parse-error.js';
import { bareHost, normalizeAddress } from './host-address.js';

/**
 * RFC 3261 §18.2.1 and RFC 3581 §4: records in the top Via where a request really came from,
 * so that its responses find their way back through NAT. `received` is added when the sent-by
 * host differs from the source address, and always when a valueless `rport` asks for the
 * source port; a `received` the peer wrote itself is corrected, so that a forged one cannot
 * aim our responses at a third party. Only the top Via value is rewritten; header order and
 * other values stay.
 * A request whose Via does not parse is left alone for the layer above to reject.
 */
export function stampReceived(request: SipRequest, address: string, port: number): void {
  // The decision reads the memoised Via view, which the layers above read anyway: a request
  // that needs no stamp (the usual case on a LAN) keeps its lines unmaterialised and pristine.
  if (request.check('via') !== undefined) return;
  const via = request.vias[0];
  if (via === undefined) return;
  const wantsPort = via.rport === null;
  const forged = via.received !== undefined && normalizeAddress(bareHost(via.received)) !== address;
  if (!wantsPort && !forged && normalizeAddress(bareHost(via.host)) === address) return;
  rewriteTopVia(request, via, address, wantsPort ? port : undefined);
}

function rewriteTopVia(request: SipRequest, via: Via, address: string, port: number | undefined): void {
  const headers = request.headers;
  const at = headers.findIndex((h) => h.key === 'via');
  const line = headers[at];
  if (line === undefined) return;
  const parts = splitHeaderList(line.value);
  if (parts instanceof SipParseError || parts[0] === undefined) return;
  const top = parts[0];
  const params = new Map(via.params);
  params.set('received', address);
  if (port !== undefined) params.set('rport', String(port));
  const rest = line.value.startsWith(top) ? line.value.slice(top.length) : parts.slice(1).map((p) => `, ${p}`).join('');
  const list = headers.slice();
  list[at] = { name: line.name, key: line.key, value: formatVia({ ...via, params }) + rest };
  request.headers = list;
}
