import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportLayer } from '../../../../sip-stack/transport/transport-layer.js';
import { TransportError } from '../../../../sip-stack/transport/transport-types.js';
import { RecordingUser, TcpPeer, parsedRequest, request, udpPeer, waitFor } from './transport-test-helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function layerOn(host: string, udpPort: number, tcpPort: number, advertise?: string): TransportLayer {
  const layer = new TransportLayer({
    listen: [{ protocol: 'udp', host, port: udpPort }, { protocol: 'tcp', host, port: tcpPort }],
    advertise,
  });
  cleanups.push(() => layer.dispose());
  return layer;
}

class ThrowsOnceUser extends RecordingUser {
  private calls = 0;

  override receiveRequest(...args: Parameters<RecordingUser['receiveRequest']>): void {
    if (++this.calls === 1) throw new Error('bug above');
    super.receiveRequest(...args);
  }
}

describe('TransportLayer', () => {
  it('binds UDP and TCP and reports each bound endpoint', async () => {
    const layer = layerOn('127.0.0.1', 0, 0);
    await layer.start();
    const udp = layer.localEndpoint('udp');
    const tcp = layer.localEndpoint('tcp');
    expect(udp).toMatchObject({ protocol: 'udp', address: '127.0.0.1' });
    expect(tcp).toMatchObject({ protocol: 'tcp', address: '127.0.0.1' });
    expect(layer.boundEndpoints()).toEqual([udp, tcp]);
  });

  it('reports loopback for a wildcard bind, or the advertise address when given', async () => {
    const plain = layerOn('0.0.0.0', 0, 0);
    await plain.start();
    expect(plain.localEndpoint('udp').address).toBe('127.0.0.1');
    const advertised = layerOn('0.0.0.0', 0, 0, '192.0.2.10');
    await advertised.start();
    expect(advertised.localEndpoint('tcp').address).toBe('192.0.2.10');
    expect(advertised.boundEndpoints()[0]?.address).toBe('0.0.0.0');
  });

  it('rejects start() with an error naming protocol, host and port when a port is taken, and frees what it bound', async () => {
    const taken = await udpPeer('udp4', '127.0.0.1');
    cleanups.push(() => taken.socket.close());
    const layer = new TransportLayer({
      listen: [{ protocol: 'tcp', host: '127.0.0.1', port: 0 }, { protocol: 'udp', host: '127.0.0.1', port: taken.port }],
    });
    cleanups.push(() => layer.dispose());
    await expect(layer.start()).rejects.toThrow(`Cannot listen on udp 127.0.0.1:${taken.port}: `);
    expect(() => layer.localEndpoint('udp')).toThrow();
  });

  it('dispose() frees the sockets, so the same ports can be bound again; it is idempotent', async () => {
    const first = layerOn('127.0.0.1', 0, 0);
    await first.start();
    const phone = await TcpPeer.connect('127.0.0.1', first.localEndpoint('tcp').port);
    cleanups.push(() => phone.socket.destroy());
    await waitFor(() => first.connectionCount === 1, 'the connection to be accepted');
    const { port: udpPort } = first.localEndpoint('udp');
    const { port: tcpPort } = first.localEndpoint('tcp');
    await Promise.all([first.dispose(), first.dispose()]);
    await first.stop();
    await waitFor(() => phone.closed, 'the open connection to be closed');
    const second = layerOn('127.0.0.1', udpPort, tcpPort);
    await second.start();
    expect(second.localEndpoint('udp').port).toBe(udpPort);
    expect(second.localEndpoint('tcp').port).toBe(tcpPort);
  });

  it('reports sends before start or after dispose as TransportError, never by throwing', async () => {
    const layer = layerOn('127.0.0.1', 0, 0);
    const errors: TransportError[] = [];
    const message = parsedRequest(request('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1'));
    layer.send(message, { protocol: 'udp', address: '127.0.0.1', port: 9 }, (e) => errors.push(e));
    expect(errors).toEqual([]);
    await layer.start();
    await layer.dispose();
    layer.send(message, { protocol: 'tcp', address: '127.0.0.1', port: 9 }, (e) => errors.push(e));
    await waitFor(() => errors.length === 2, 'two TransportErrors');
    expect(errors.every((e) => e instanceof TransportError)).toBe(true);
  });

  it('reports an unusable destination port as a TransportError on UDP and TCP', async () => {
    const layer = layerOn('127.0.0.1', 0, 0);
    await layer.start();
    const errors: TransportError[] = [];
    const message = parsedRequest(request('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1'));
    for (const protocol of ['udp', 'tcp'] as const) {
      for (const port of [0, 70_000]) layer.send(message, { protocol, address: '127.0.0.1', port }, (e) => errors.push(e));
    }
    await waitFor(() => errors.length === 4, 'four TransportErrors');
    expect(errors.every((e) => e instanceof TransportError)).toBe(true);
    expect(layer.counters.sendErrors).toBe(4);
  });

  it('delivers to the user set later with setUser, and survives a user that throws', async () => {
    const thrown: unknown[] = [];
    const layer = new TransportLayer({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], onUserError: (e) => thrown.push(e) });
    cleanups.push(() => layer.dispose());
    await layer.start();
    const user = new ThrowsOnceUser();
    layer.setUser(user);
    const client = dgram.createSocket('udp4');
    cleanups.push(() => client.close());
    const { port } = layer.localEndpoint('udp');
    client.send(request('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx1'), port, '127.0.0.1');
    await waitFor(() => thrown.length === 1, 'the first delivery to throw');
    client.send(request('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx2'), port, '127.0.0.1');
    await waitFor(() => user.requests.length === 1, 'the second request');
    expect(layer.counters.messagesIn).toBe(2);
  });
});
