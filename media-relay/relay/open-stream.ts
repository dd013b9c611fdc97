import { RelayStream } from './relay-stream.js';
import type { StreamHooks, StreamOwner } from './stream-hooks.js';

/**
 * Opens a stream on the next free port pair. A pair that fails to bind (another program holds
 * a port: EADDRINUSE) goes to the back of the queue and the next is tried, each free pair at
 * most once; undefined means the range is exhausted.
 */
export async function openStream(hooks: StreamHooks, owner: StreamOwner, index: number): Promise<RelayStream | undefined> {
  for (let attempts = hooks.allocator.available; attempts > 0; attempts--) {
    const pair = hooks.allocator.allocate();
    if (!pair.ok) return undefined;
    const stream = new RelayStream(owner, index, pair.rtpPort, hooks);
    if (await stream.bind()) return stream;
    stream.close();
  }
  return undefined;
}
