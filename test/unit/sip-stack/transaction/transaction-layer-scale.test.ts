import { describe, expect, it } from 'vitest';
import type { TransportProtocol } from '../../../../sip-stack/transport/transport-types.js';
import { layerHarness } from './layer-harness.js';
import { RecordingClientUser } from './recording-users.js';
import { answer, request, requestOf, source, target } from './sip-fixtures.js';

const COUNT = 10_000;

describe('TransactionLayer at scale', () => {
  it(`terminates ${COUNT} concurrent client and ${COUNT} concurrent server transactions, leaking nothing`, () => {
    const { layer, clock, user: tu } = layerHarness();
    const user = new RecordingClientUser();
    const protocolOf = (i: number): TransportProtocol => (i % 2 === 0 ? 'udp' : 'tcp');

    const clients = Array.from({ length: COUNT }, (_, i) =>
      layer.sendRequest(request({ method: i % 4 < 2 ? 'INVITE' : 'BYE', noVia: true, callId: `c${i}` }),
        target(protocolOf(i)), user));
    for (let i = 0; i < COUNT; i++) {
      layer.receiveRequest(request({ method: i % 4 < 2 ? 'INVITE' : 'OPTIONS', branch: `z9hG4bKs${i}`,
        protocol: protocolOf(i), callId: `s${i}` }), source(protocolOf(i)));
    }
    expect(layer.size()).toBe(2 * COUNT);

    // Every outcome at once: 2xx and non-2xx finals both ways, and peers that never answer (a
    // fifth of the clients, which Timer B or F must end). A server transaction has no timer while
    // the TU decides (§17.2), so the TU answers every one, as it must.
    clients.forEach((tx, i) => {
      if (i % 5 !== 4) layer.receiveResponse(answer(requestOf(tx), i % 3 === 0 ? 486 : 200), source(protocolOf(i)));
    });
    tu.requests.forEach(({ tx }, i) => tx.respond(answer(requestOf(tx), i % 3 === 0 ? 486 : 200)));

    clock.runAll();
    expect(layer.size()).toBe(0);
    expect(clock.pendingCount()).toBe(0);
    expect(user.timeouts.length).toBe(COUNT / 5);
  });
});
