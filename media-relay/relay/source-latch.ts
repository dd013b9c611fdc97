/** Shared by every latch that excludes nobody, which is nearly all of them. */
const NONE_EXCLUDED: readonly never[] = [];

/**
 * Symmetric RTP latching for one relay socket: the destination toward a phone is learnt from
 * where its packets actually come from (phones behind NAT send from an address their SDP does
 * not show). Once latched, packets from any other source are refused, so nobody can hijack or
 * listen in on a stream by spraying its port ("RTP bleed"); only signalling resets the latch.
 * The source the SDP names is always accepted and re-latches, so a spray that came first
 * cannot lock out a phone that is not behind NAT.
 */
export class SourceLatch {
  /** The latched source; port 0 while not latched. */
  address = '';
  port = 0;
  private expectedAddress = '';
  private expectedPort = 0;
  private excludedAddresses: readonly string[] = NONE_EXCLUDED;
  private excludedPorts: readonly number[] = NONE_EXCLUDED;

  get latched(): boolean {
    return this.port !== 0;
  }

  /**
   * Whether a packet from this source belongs to the stream; latches on the first acceptable
   * one. `canLatch` is false for packets that do not even look like RTP/RTCP.
   */
  admit(address: string, port: number, canLatch: boolean): boolean {
    if (port === this.port && address === this.address) return true;
    if (!canLatch) return false;
    const expected = port === this.expectedPort && address === this.expectedAddress;
    if (!expected && (this.port !== 0 || this.isExcluded(address, port))) return false;
    this.address = address;
    this.port = port;
    return true;
  }

  /**
   * Forgets the latch after signalling changed the stream. `excludePrevious` (a different phone
   * takes over) refuses the old latched and signalled sources, so the phone that is leaving
   * cannot win the new latch with its last packets.
   */
  reset(expectedAddress: string, expectedPort: number, excludePrevious: boolean): void {
    if (excludePrevious) {
      this.excludedAddresses = [this.address, this.expectedAddress];
      this.excludedPorts = [this.port, this.expectedPort];
    } else {
      this.excludedAddresses = NONE_EXCLUDED;
      this.excludedPorts = NONE_EXCLUDED;
    }
    this.address = '';
    this.port = 0;
    this.expectedAddress = expectedAddress;
    this.expectedPort = expectedPort;
  }

  private isExcluded(address: string, port: number): boolean {
    for (let i = 0; i < this.excludedPorts.length; i++) {
      if (this.excludedPorts[i] === port && this.excludedAddresses[i] === address) return true;
    }
    return false;
  }
}
