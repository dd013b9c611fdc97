export type PortPairAllocation =
  | { readonly ok: true; readonly rtpPort: number; readonly rtcpPort: number }
  | { readonly ok: false; readonly reason: 'exhausted' };

const MAX_PORT = 65_535;
const EXHAUSTED: PortPairAllocation = { ok: false, reason: 'exhausted' };

/**
 * Hands out RTP/RTCP port pairs from [portMin, portMax]: RTP on the even port, RTCP on the next
 * odd one (RFC 3550 §11). Free pairs wait in a FIFO ring, so allocate and release are O(1) and a
 * released pair is reused last, giving stray packets of an ended call time to stop before its
 * ports serve another. A flag per pair catches a double release.
 */
export class PortAllocator {
  readonly capacity: number;
  private readonly firstPort: number;
  private readonly free: Int32Array;
  private readonly allocated: Uint8Array;
  private head = 0;
  private freeCount: number;

  constructor(portMin: number, portMax: number) {
    if (!isPort(portMin) || !isPort(portMax) || portMin > portMax) {
      throw new RangeError(`port range must satisfy 1 <= portMin <= portMax <= 65535, got ${portMin}-${portMax}`);
    }
    this.firstPort = portMin % 2 === 0 ? portMin : portMin + 1;
    this.capacity = Math.max(0, Math.floor((portMax - this.firstPort + 1) / 2));
    if (this.capacity === 0) throw new RangeError(`port range ${portMin}-${portMax} holds no even/odd pair`);
    this.free = new Int32Array(this.capacity).map((_, i) => i);
    this.allocated = new Uint8Array(this.capacity);
    this.freeCount = this.capacity;
  }

  get available(): number {
    return this.freeCount;
  }

  get inUse(): number {
    return this.capacity - this.freeCount;
  }

  allocate(): PortPairAllocation {
    if (this.freeCount === 0) return EXHAUSTED;
    const pair = this.free[this.head] ?? 0;
    this.head = (this.head + 1) % this.capacity;
    this.freeCount--;
    this.allocated[pair] = 1;
    const rtpPort = this.firstPort + pair * 2;
    return { ok: true, rtpPort, rtcpPort: rtpPort + 1 };
  }

  /** Returns the pair to the back of the queue; false if it was not allocated (nothing changes). */
  release(rtpPort: number): boolean {
    const pair = (rtpPort - this.firstPort) / 2;
    if (!Number.isInteger(pair) || pair < 0 || pair >= this.capacity || this.allocated[pair] !== 1) return false;
    this.allocated[pair] = 0;
    this.free[(this.head + this.freeCount) % this.capacity] = pair;
    this.freeCount++;
    return true;
  }
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= MAX_PORT;
}
