import { RelayStream } from './relay-stream.js';
import type { StreamHooks, StreamOwner } from './stream-hooks.js';

/**
 * Opens a stream on a free port pair; undefined means the range is exhausted. Ended calls whose
 * ports still linger give them up, the longest-lingering first, before a live call is refused.
 */
export async function openStream(hooks: StreamHooks, owner: StreamOwner, index: number): Promise<RelayStream | undefined> {
  for (;;) {
    // Reclaimed before the first await: streams opened side by side each take a pair of their own.
    while (hooks.allocator.available === 0) if (!hooks.reclaimPorts()) return undefined;
    const stream = await openOnFreePair(hooks, owner, index);
    if (stream !== undefined || !hooks.reclaimPorts()) return stream;
  }
}

/**
 * A pair that fails to bind (another program holds a port: EADDRINUSE) goes to the back of the
 * queue and the next is tried, each free pair at most once.
 */
async function openOnFreePair(hooks: StreamHooks, owner: StreamOwner, index: number): Promise<RelayStream | undefined> {
  for (let attempts = hooks.allocator.available; attempts > 0; attempts--) {
    const pair = hooks.allocator.allocate();
    if (!pair.ok) return undefined;
    const stream = new RelayStream(owner, index, pair.rtpPort, hooks);
    if (await stream.bind()) return stream;
    stream.close();
  }
  return undefined;
}
