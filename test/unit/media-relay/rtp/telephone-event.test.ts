import { describe, expect, it } from 'vitest';
import { TelephoneEvent } from '../../../../media-relay/rtp/telephone-event.js';
import { dtmfDigitOf, dtmfEventOf } from '../../../../media-relay/rtp/dtmf-digit.js';

describe('TelephoneEvent (RFC 4733 §2.3)', () => {
  it('RFC 4733 §2.3: parses event, E bit, volume and duration', () => {
    const event = new TelephoneEvent();
    // Event 5, E=1, R=0, volume 10, duration 800.
    expect(event.parse(Buffer.from([0x05, 0x8a, 0x03, 0x20]))).toBeUndefined();
    expect(event).toMatchObject({ event: 5, end: true, volume: 10, duration: 800 });
  });

  it('RFC 4733 §2.3.3: the R bit is ignored on receipt and written as 0', () => {
    const event = new TelephoneEvent();
    event.parse(Buffer.from([0x0b, 0x4f, 0x00, 0xa0]));
    expect(event).toMatchObject({ event: 11, end: false, volume: 15, duration: 160 });
    const out = Buffer.alloc(4);
    event.serializeInto(out);
    expect(out).toEqual(Buffer.from([0x0b, 0x0f, 0x00, 0xa0]));
  });

  it('serialize/parse round-trips and size() is 4', () => {
    const event = new TelephoneEvent();
    Object.assign(event, { event: 10, end: true, volume: 63, duration: 0xffff });
    const out = Buffer.alloc(event.size() + 2);
    expect(event.serializeInto(out, 2)).toBe(4);
    const back = new TelephoneEvent();
    expect(back.parse(out, 2, 4)).toBeUndefined();
    expect(back).toMatchObject({ event: 10, end: true, volume: 63, duration: 0xffff });
  });

  it('a payload under 4 bytes is too-short', () => {
    expect(new TelephoneEvent().parse(Buffer.from([1, 2, 3]))).toBe('too-short');
    expect(new TelephoneEvent().parse(Buffer.alloc(8), 6, 4)).toBe('too-short');
  });

  it('RFC 4733 §3.2: events 0-9 are digits, 10 is *, 11 is #, 12-15 are A-D; 16 (flash) is no key', () => {
    expect([0, 9, 10, 11, 12, 15].map(dtmfDigitOf)).toEqual(['0', '9', '*', '#', 'A', 'D']);
    expect(dtmfDigitOf(16)).toBeUndefined();
    expect(dtmfEventOf('#')).toBe(11);
  });
});
