import { NativeSocketFactory } from '../../../media-relay/relay/native-socket-factory.js';
import type { SocketFactory } from '../../../media-relay/relay/relay-socket.js';
import { UdpSocketFactory } from '../../../media-relay/relay/udp-socket-factory.js';

/** The two ways the relay's sockets forward; every relay suite runs over both. */
export const FORWARDERS = ['node', 'native'] as const;
export type Forwarder = (typeof FORWARDERS)[number];

/**
 * A factory of the kind asked for. The native one must be there (npm test builds it first): a
 * missing build fails the suite rather than skipping it.
 */
export function socketFactory(forwarder: Forwarder): SocketFactory {
  if (forwarder === 'node') return new UdpSocketFactory();
  const native = NativeSocketFactory.create();
  if (native === undefined) throw new Error('the native forwarder is not built: run npm run build:native (needs cc and the Node.js headers)');
  return native;
}
