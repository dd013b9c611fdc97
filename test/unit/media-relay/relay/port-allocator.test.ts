import { describe, expect, it } from 'vitest';
import { PortAllocator } from '../../../../media-relay/relay/port-allocator.js';

describe('PortAllocator', () => {
  it('RFC 3550 §11: hands out even RTP ports with RTCP on the next odd port', () => {
    const allocator = new PortAllocator(20001, 20010);
    expect(allocator.capacity).toBe(4);
    const pairs = [allocator.allocate(), allocator.allocate(), allocator.allocate(), allocator.allocate()];
    expect(pairs).toEqual([
      { ok: true, rtpPort: 20002, rtcpPort: 20003 },
      { ok: true, rtpPort: 20004, rtcpPort: 20005 },
      { ok: true, rtpPort: 20006, rtcpPort: 20007 },
      { ok: true, rtpPort: 20008, rtcpPort: 20009 },
    ]);
  });

  it('allocate all, exhausted, release one, allocate again gets that one', () => {
    const allocator = new PortAllocator(30000, 30007);
    for (let i = 0; i < 4; i++) expect(allocator.allocate().ok).toBe(true);
    expect(allocator.allocate()).toEqual({ ok: false, reason: 'exhausted' });
    expect(allocator.inUse).toBe(4);
    expect(allocator.release(30004)).toBe(true);
    expect(allocator.allocate()).toEqual({ ok: true, rtpPort: 30004, rtcpPort: 30005 });
    expect(allocator.allocate().ok).toBe(false);
  });

  it('a released pair goes to the back of the queue', () => {
    const allocator = new PortAllocator(30000, 30007);
    const first = allocator.allocate();
    if (first.ok) allocator.release(first.rtpPort);
    expect(allocator.allocate()).toMatchObject({ rtpPort: 30002 });
  });

  it('a double release or a foreign port changes nothing', () => {
    const allocator = new PortAllocator(30000, 30007);
    allocator.allocate();
    expect(allocator.release(30000)).toBe(true);
    expect(allocator.release(30000)).toBe(false);
    expect(allocator.release(30001)).toBe(false);
    expect(allocator.release(40000)).toBe(false);
    expect(allocator.available).toBe(4);
  });

  it('no leaks over many allocate/release cycles', () => {
    const allocator = new PortAllocator(30000, 30099);
    for (let round = 0; round < 1000; round++) {
      const pair = allocator.allocate();
      if (!pair.ok) throw new Error('exhausted');
      allocator.release(pair.rtpPort);
    }
    expect(allocator.inUse).toBe(0);
    expect(allocator.available).toBe(50);
  });

  it('a range without an even/odd pair, or an inverted one, is a configuration error', () => {
    expect(() => new PortAllocator(30001, 30001)).toThrow(RangeError);
    expect(() => new PortAllocator(30010, 30000)).toThrow(RangeError);
    expect(() => new PortAllocator(0, 10)).toThrow(RangeError);
  });
});
