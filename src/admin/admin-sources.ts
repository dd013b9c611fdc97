import type { Softswitch } from '../softswitch.js';
import type { AdminSources, Health } from './admin-server.js';
import type { Call } from '../b2bua/call.js';

/** The admin API's view of a running softswitch. */
export function adminSources(sw: Softswitch): AdminSources {
  return {
    health: () => health(sw),
    registrations: () => sw.location.all().map((b) => ({
      user: b.aor, contact: b.contact, expiresIn: Math.max(0, Math.round((b.expiresAt - Date.now()) / 1000)),
      source: `${b.source.protocol}:${b.source.address}:${b.source.port}`, userAgent: b.userAgent ?? null,
      instance: b.instanceId ?? null,
    })),
    calls: () => sw.calls.all().map((call) => describeCall(call, sw)),
    metrics: () => metricsText(sw),
  };
}

/** 'failing' when a part the calls need has stopped, with what it is. */
function health(sw: Softswitch): Health {
  const counts = { calls: sw.calls.size, registrations: sw.location.all().length };
  if (sw.mediaRelay?.socketsFailed() === true) {
    return { status: 'failing', problem: 'the media relay stopped reading its sockets (native forwarder thread failed)', ...counts };
  }
  return { status: 'ok', ...counts };
}

function describeCall(call: Call, sw: Softswitch): Record<string, unknown> {
  const media = sw.mediaRelay?.stats(call.id);
  return {
    id: call.id,
    callId: call.caller.callId,
    state: call.state,
    createdAt: new Date(call.createdAt).toISOString(),
    answeredAt: call.answeredAt ? new Date(call.answeredAt).toISOString() : null,
    legs: [...call.legs.values()].map((leg) => ({
      id: leg.id, direction: leg.direction, extension: leg.identity.extension, name: leg.identity.displayName,
      device: leg.device, state: leg.state,
      media: media?.legs.find((l) => l.legId === leg.id)?.streams ?? [],
    })),
  };
}

function metricsText(sw: Softswitch): string {
  const tx = sw.stack.transactions.counters();
  const transport = sw.stack.transport.counters;
  const lines = [
    '# TYPE softswitch_calls gauge', `softswitch_calls ${sw.calls.size}`,
    '# TYPE softswitch_registrations gauge', `softswitch_registrations ${sw.location.all().length}`,
    '# TYPE softswitch_transactions gauge', `softswitch_transactions{kind="client"} ${tx.liveClient}`,
    `softswitch_transactions{kind="server"} ${tx.liveServer}`,
  ];
  for (const [name, value] of Object.entries(transport)) {
    if (typeof value === 'number') lines.push(`softswitch_transport_${snake(name)} ${value}`);
  }
  lines.push(...relayLines(sw));
  lines.push(...memoryLines());
  return lines.join('\n') + '\n';
}

function relayLines(sw: Softswitch): string[] {
  const relay = sw.mediaRelay;
  if (relay === undefined) return [];
  return [
    '# TYPE softswitch_relay_sockets gauge', `softswitch_relay_sockets ${relay.resources().openSockets}`,
    '# TYPE softswitch_relay_dropped_handoffs_total counter', `softswitch_relay_dropped_handoffs_total ${relay.droppedHandoffs()}`,
    '# TYPE softswitch_relay_failed gauge', `softswitch_relay_failed ${relay.socketsFailed() ? 1 : 0}`,
  ];
}

/** The process's memory under the names Prometheus' Node.js exporters use, for dashboards that expect them. */
function memoryLines(): string[] {
  const memory = process.memoryUsage();
  return [
    '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${memory.rss}`,
    '# TYPE nodejs_heap_size_total_bytes gauge', `nodejs_heap_size_total_bytes ${memory.heapTotal}`,
    '# TYPE nodejs_heap_size_used_bytes gauge', `nodejs_heap_size_used_bytes ${memory.heapUsed}`,
    '# TYPE nodejs_external_memory_bytes gauge', `nodejs_external_memory_bytes ${memory.external}`,
  ];
}

function snake(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
