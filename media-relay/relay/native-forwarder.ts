import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { PacketReceiver } from './relay-socket.js';

/**
 * The compiled forwarder (native/forwarder.c). Sockets are numbered; negative numbers are
 * -errno. It reads every socket on a thread of its own, forwards routed RTP there, and hands
 * every other datagram to the callback given to start().
 */
export interface ForwarderAddon {
  start(deliver: (id: number, packet: Buffer, address: string, port: number) => void): number;
  bind(address: string, port: number): number;
  close(id: number): void;
  send(id: number, packet: Buffer, port: number, address: string): number;
  /** Ties the socket to one peer; address '' unties it. */
  connect(id: number, address: string, port: number): number;
  localAddress(id: number): string | undefined;
  /** With one argument, removes the socket's route; returns 1 when a route is set. */
  route(id: number, srcAddress?: string, srcPort?: number, outId?: number, dstAddress?: string, dstPort?: number, divert0?: number, divert1?: number): number;
  track(id: number, ssrc: number, sequence: number): void;
  counters(id: number, out: Float64Array): number;
  /** Open sockets; datagrams dropped for want of room toward JavaScript; whether the thread stopped on an error. */
  status(): { open: number; overflow: number; failed: boolean };
}

const ADDON_FILE = join('build', 'relay-forwarder.node');

/** The addon, started once per process; undefined where it was not built or cannot start here. */
let loaded: ForwarderAddon | undefined | null = null;
const receivers = new Map<number, PacketReceiver>();

/**
 * The running forwarder, or undefined (then the relay uses node:dgram). The main thread's only:
 * its socket table and thread are per process, and end with the environment that started them.
 */
export function nativeForwarder(): ForwarderAddon | undefined {
  if (loaded === null) loaded = isMainThread ? loadAndStart() : undefined;
  return loaded;
}

/**
 * Where the build put the addon: build/ beside the project's package.json, a few levels above
 * this file whether it runs from the sources or from dist/.
 */
export function forwarderPath(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const candidate = join(dir, ADDON_FILE);
    return existsSync(candidate) ? candidate : undefined;
  }
  return undefined;
}

function loadAndStart(): ForwarderAddon | undefined {
  const path = forwarderPath();
  if (path === undefined) return undefined;
  try {
    const addon = createRequire(import.meta.url)(path) as ForwarderAddon;
    return addon.start(deliver) === 0 ? addon : undefined;
  } catch {
    // A build for another Node.js, or a worker thread while the main thread owns it.
    return undefined;
  }
}

function deliver(id: number, packet: Buffer, address: string, port: number): void {
  receivers.get(id)?.receivePacket(packet, { address, port });
}

/** Where datagrams the forwarder hands up for socket `id` go, until `forget`. */
export function listen(id: number, receiver: PacketReceiver): void {
  receivers.set(id, receiver);
}

export function forget(id: number): void {
  receivers.delete(id);
}
