import { describe, expect, it } from 'vitest';
import type { SocketFactory } from '../../../../media-relay/relay/relay-socket.js';
import { FakeSocketFactory } from './fake-sockets.js';
import { harness } from './relay-harness.js';

describe('media relay health', () => {
  it('reports sockets that stopped being read, as its socket factory says', () => {
    const fake = new FakeSocketFactory();
    let failed = false;
    const sockets: SocketFactory = {
      get openCount() { return fake.openCount; },
      get failed() { return failed; },
      bind: (address, port, receiver) => fake.bind(address, port, receiver),
    };
    const h = harness({ sockets });
    expect(h.relay.socketsFailed()).toBe(false);
    failed = true;
    expect(h.relay.socketsFailed()).toBe(true);
  });

  it('counts sockets of a factory that cannot fail (node:dgram) as read', () => {
    expect(harness().relay.socketsFailed()).toBe(false);
  });
});
