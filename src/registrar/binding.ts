import type { TransportProtocol } from '../../sip-stack/transport/transport-types.js';

/** Where the REGISTER of a binding came from: requests to the phone go back there (NAT). */
export interface BindingSource {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
  /** The connection of a stream transport; not persisted, since it dies with the process. */
  readonly flowId: string | undefined;
}

/** One registered device of a user (RFC 3261 §10, RFC 5626 instance and reg-id). */
export interface Binding {
  readonly aor: string;
  /** The Contact URI as the phone sent it (escapes and URI parameters kept). */
  readonly contact: string;
  /** RFC 5626: the binding key; a phone re-registering from a new address replaces itself. */
  readonly instanceId: string | undefined;
  readonly regId: number | undefined;
  readonly expiresAt: number;
  readonly callId: string;
  readonly cseq: number;
  readonly source: BindingSource;
  readonly userAgent: string | undefined;
  readonly q: number | undefined;
  readonly registeredAt: number;
}

/** Bindings with the same key are the same device (RFC 5626 §6: instance + reg-id). */
export function bindingKey(b: Pick<Binding, 'contact' | 'instanceId' | 'regId'>): string {
  if (b.instanceId !== undefined) return `instance:${b.instanceId}:${b.regId ?? ''}`;
  return `contact:${b.contact}`;
}
