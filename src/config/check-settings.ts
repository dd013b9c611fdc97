import type { ConfigIssue } from './config-error.js';
import type { Config } from './config-schema.js';
import { ClaimRegistry, present } from './claim-registry.js';

/** Rules that relate fields within the sip, admin, registrar and media sections. */
export function checkSettings(config: Config): ConfigIssue[] {
  return [
    ...checkListen(config),
    ...checkExpires(config.registrar),
    ...checkMediaPorts(config.media),
  ];
}

const ANY_HOST = new Set(['0.0.0.0', '::', '[::]']);

function checkListen(config: Config): ConfigIssue[] {
  const claims = new ClaimRegistry();
  // Port 0 binds a fresh port each time, so it can never collide.
  const issues = config.sip.listen.map((entry, i) =>
    entry.port === 0
      ? undefined
      : claims.claim(`${entry.transport} ${entry.host}:${entry.port}`, `sip.listen[${i}]`, `sip.listen[${i}]`),
  );
  return present([...issues, adminClash(config)]);
}

/** The admin HTTP server is TCP, so it cannot share a port with a SIP TCP listener. */
function adminClash(config: Config): ConfigIssue | undefined {
  const { admin } = config;
  if (admin.port === 0) return undefined;
  const i = config.sip.listen.findIndex(
    (entry) => entry.transport === 'tcp' && entry.port === admin.port && hostsOverlap(entry.host, admin.host),
  );
  return i < 0 ? undefined : { path: 'admin.port', reason: `${admin.port} is also used by sip.listen[${i}]` };
}

function hostsOverlap(a: string, b: string): boolean {
  return a === b || ANY_HOST.has(a) || ANY_HOST.has(b);
}

function checkExpires(registrar: Config['registrar']): ConfigIssue[] {
  const { minExpires: min, maxExpires: max, defaultExpires } = registrar;
  if (min > max) {
    return [{ path: 'registrar.minExpires', reason: `greater than maxExpires (${min} > ${max})` }];
  }
  if (defaultExpires < min || defaultExpires > max) {
    return [{
      path: 'registrar.defaultExpires',
      reason: `must be between minExpires and maxExpires (${min}..${max}), got ${defaultExpires}`,
    }];
  }
  return [];
}

/** RTP takes an even port and RTCP the odd one after it (RFC 3550 §11), so the range must hold
 * at least one such pair. */
function checkMediaPorts(media: Config['media']): ConfigIssue[] {
  const { portMin, portMax } = media;
  if (portMin > portMax) {
    return [{ path: 'media.portMin', reason: `greater than portMax (${portMin} > ${portMax})` }];
  }
  const firstEven = portMin + (portMin % 2);
  if (firstEven + 1 > portMax) {
    return [{
      path: 'media',
      reason: `port range ${portMin}-${portMax} holds no even/odd port pair for RTP and RTCP`,
    }];
  }
  return [];
}
