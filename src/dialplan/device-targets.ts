import type { UserConfig } from '../config/config-schema.js';
import type { ForkTarget } from '../b2bua/call-setup.js';
import type { LocationService } from '../registrar/location-service.js';
import type { Endpoint } from '../../sip-stack/transport/transport-types.js';
import { parseUri, isSipUri } from '../../sip-stack/message/sip-uri.js';

/**
 * Every device of a user to ring: its registered bindings (reached where each REGISTER came
 * from, so phones behind NAT are reachable) and its static contact, minus the device `except`
 * that is placing the call.
 */
export function deviceTargets(location: LocationService, user: UserConfig, except?: Endpoint): ForkTarget[] {
  const callee = { extension: user.extension, displayName: user.name };
  const targets: ForkTarget[] = [];
  for (const b of location.lookup(user.extension)) {
    if (except && b.source.address === except.address && b.source.port === except.port && b.source.protocol === except.protocol) continue;
    targets.push({ callee, contact: b.contact, peer: { ...b.source } });
  }
  const fixed = user.staticContact ? staticTarget(user.staticContact) : undefined;
  if (fixed) targets.push({ callee, contact: user.staticContact as string, peer: fixed });
  return targets;
}

function staticTarget(contact: string): ForkTarget['peer'] | undefined {
  const uri = parseUri(contact);
  if (!('scheme' in uri) || !isSipUri(uri)) return undefined;
  const transport = uri.params.get('transport')?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
  return { protocol: transport, address: uri.host.replace(/^\[|\]$/g, ''), port: uri.port ?? 5060 };
}
