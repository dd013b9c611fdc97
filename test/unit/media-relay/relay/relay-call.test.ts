import { describe, expect, it } from 'vitest';
import { RelayCall, type CallContext } from '../../../../media-relay/relay/relay-call.js';

/** serialize() never touches the context. */
const NO_CONTEXT = {} as CallContext;

describe('RelayCall.serialize', () => {
  it('runs operations one at a time, in order, a failure not stopping the next', async () => {
    const call = new RelayCall('call', NO_CONTEXT);
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = call.serialize(() => new Promise<void>((resolve) => { release = resolve; }).then(() => { order.push('first'); }));
    const failing = call.serialize(async () => { order.push('failing'); throw new Error('no'); });
    const last = call.serialize(async () => { order.push('last'); return 3; });
    await Promise.resolve();
    expect(order).toEqual([]);
    release();
    await first;
    await expect(failing).rejects.toThrow('no');
    expect(await last).toBe(3);
    expect(order).toEqual(['first', 'failing', 'last']);
  });

  it('keeps no promise once idle, and queues anew after', async () => {
    const call = new RelayCall('call', NO_CONTEXT);
    await call.serialize(async () => 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(Reflect.get(call, 'tail')).toBeUndefined();
    expect(await call.serialize(async () => 2)).toBe(2);
  });
});
