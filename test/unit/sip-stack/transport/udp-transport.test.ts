import type dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { makeResponse } from '../../../../sip-stack/message/make-response.js';
import { SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';
import { TransactionLayer } from '../../../../sip-stack/transaction/transaction-layer.js';
import { TransportLayer } from '../../../../sip-stack/transport/transport-layer.js';
import { type MessageSource, TransportError } from '../../../../sip-stack/transport/transport-types.js';
import { RecordingClientUser, RecordingTransactionUser } from '../transaction/recording-users.js';
import { RecordingUser, canBind, parsedRequest, parsedResponse, request, udpPeer, waitFor } from './transport-test-helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function startLayer(host: string): Promise<{ layer: TransportLayer; user: RecordingUser; port: number }> {
  const user = new RecordingUser();
  const layer = new TransportLayer({ listen: [{ protocol: 'udp', host, port: 0 }], user });
  cleanups.push(() => layer.dispose());
  await layer.start();
  return { layer, user, port: layer.localEndpoint('udp').port };
}

async function peer(type: 'udp4' | 'udp6', host: string): Promise<{ socket: dgram.Socket; port: number; received: Buffer[] }> {
  const p = await udpPeer(type, host);
  cleanups.push(() => p.socket.close());
  return p;
}

describe('UDP transport', () => {
  it('reports the port actually bound when asked for port 0', async () => {
    const { layer, port } = await startLayer('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(layer.localEndpoint('udp')).toEqual({ protocol: 'udp', address: '127.0.0.1', port });
    expect(layer.isReliable('udp')).toBe(false);
  });

  it('delivers a request with its source, and fills received and rport (RFC 3581 §4)', async () => {
    const { user, port } = await startLayer('127.0.0.1');
    const client = await peer('udp4', '127.0.0.1');
    client.socket.send(request('SIP/2.0/UDP phone.invalid:5099;rport;branch=z9hG4bKu1'), port, '127.0.0.1');
    await waitFor(() => user.requests.length === 1, 'the request');
    const { request: r, source } = user.requests[0] as (typeof user.requests)[number];
    expect(source).toEqual({ protocol: 'udp', address: '127.0.0.1', port: client.port, localAddress: '127.0.0.1', localPort: port, flowId: undefined });
    expect(r.topVia).toMatchObject({ received: '127.0.0.1', rport: client.port, port: 5099, branch: 'z9hG4bKu1' });
  });

  it('sendResponse goes to received:rport, not to the sent-by port', async () => {
    const { layer, user, port } = await startLayer('127.0.0.1');
    const client = await peer('udp4', '127.0.0.1');
    client.socket.send(request('SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bKu2'), port, '127.0.0.1');
    await waitFor(() => user.requests.length === 1, 'the request');
    const { request: r, source } = user.requests[0] as (typeof user.requests)[number];
    const errors: TransportError[] = [];
    layer.sendResponse(makeResponse(r, 200), source, (e) => errors.push(e));
    await waitFor(() => client.received.length === 1, 'the response at the rport');
    const response = parseMessage(client.received[0] as Buffer);
    expect(response).toBeInstanceOf(SipResponse);
    expect((response as SipResponse).status).toBe(200);
    expect(errors).toEqual([]);
    expect(layer.counters).toMatchObject({ messagesIn: 1, messagesOut: 1 });
  });

  it('delivers responses, and hands unparseable datagrams to receiveMalformed', async () => {
    const { layer, user, port } = await startLayer('127.0.0.1');
    const client = await peer('udp4', '127.0.0.1');
    client.socket.send(Buffer.from('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n\r\n'), port, '127.0.0.1');
    client.socket.send(Buffer.from('\x16\x03\x01 not sip at all\r\n\r\n'), port, '127.0.0.1');
    client.socket.send(Buffer.from('\r\n\r\n'), port, '127.0.0.1');
    await waitFor(() => user.responses.length === 1 && user.malformed.length === 1, 'a response and a malformed datagram');
    expect(user.malformed[0]?.source.port).toBe(client.port);
    expect(layer.counters.parseErrors).toBe(1);
  });

  it('sends a request larger than 1300 bytes over UDP all the same (§18.1.1 TCP switch is not done)', async () => {
    const { layer } = await startLayer('127.0.0.1');
    const server = await peer('udp4', '127.0.0.1');
    const big = parsedRequest(request('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKbig', 'MESSAGE', 'x'.repeat(4000)));
    layer.send(big, { protocol: 'udp', address: '127.0.0.1', port: server.port });
    await waitFor(() => server.received.length === 1, 'the large datagram');
    expect(server.received[0]?.length).toBeGreaterThan(4000);
  });

  it('refuses broadcast and multicast destinations with a TransportError', async () => {
    const { layer, port } = await startLayer('127.0.0.1');
    const source: MessageSource = { protocol: 'udp', address: '127.0.0.1', port: 5060, localAddress: '127.0.0.1', localPort: port, flowId: undefined };
    const errors: TransportError[] = [];
    const response = parsedResponse('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bKb\r\n\r\n');
    layer.sendResponse(response, source, (e) => errors.push(e));
    layer.send(response, { protocol: 'udp', address: '239.1.2.3', port: 5060 }, (e) => errors.push(e));
    layer.send(response, { protocol: 'udp', address: 'ff02::1', port: 5060 }, (e) => errors.push(e));
    await waitFor(() => errors.length === 3, 'three TransportErrors');
    expect(errors.every((e) => e instanceof TransportError && /broadcast or multicast/.test(e.reason))).toBe(true);
    expect(layer.counters.messagesOut).toBe(0);
  });

  it('works over IPv6 loopback (::1) when the machine has it', async () => {
    if (!(await canBind('::1'))) {
      console.warn('NOTE: ::1 cannot be bound on this machine; the IPv6 UDP assertions were not run');
      return;
    }
    const { layer, user, port } = await startLayer('::1');
    const client = await peer('udp6', '::1');
    client.socket.send(request('SIP/2.0/UDP [::1]:5099;rport;branch=z9hG4bK6'), port, '::1');
    await waitFor(() => user.requests.length === 1, 'the IPv6 request');
    const { request: r, source } = user.requests[0] as (typeof user.requests)[number];
    expect(source).toMatchObject({ address: '::1', port: client.port });
    expect(r.topVia).toMatchObject({ received: '::1', rport: client.port });
    layer.sendResponse(makeResponse(r, 200), source);
    await waitFor(() => client.received.length === 1, 'the IPv6 response');
    expect(layer.localEndpoint('udp').address).toBe('::1');
  });

  describe('sending to addresses (the sockets answer IP literals themselves, the rest goes to DNS)', () => {
    const options = () => parsedRequest(request('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKlit'));

    // dns.lookup would defer the send by a tick, and a socket closed in that tick drops the
    // datagram: it arriving shows that send() handed it to the socket at once.
    it('hands a datagram for an IPv4 literal to the socket within send()', async () => {
      const { layer } = await startLayer('127.0.0.1');
      const server = await peer('udp4', '127.0.0.1');
      const errors: TransportError[] = [];
      layer.send(options(), { protocol: 'udp', address: '127.0.0.1', port: server.port }, (e) => errors.push(e));
      await layer.dispose();
      await waitFor(() => server.received.length === 1, 'the datagram');
      expect(parsedRequest(server.received[0] as Buffer).method).toBe('OPTIONS');
      expect(errors).toEqual([]);
    });

    it('hands a datagram for an IPv6 literal (::1) to the socket within send()', async () => {
      if (!(await canBind('::1'))) {
        console.warn('NOTE: ::1 cannot be bound on this machine; the IPv6 literal send was not tested');
        return;
      }
      const { layer } = await startLayer('::1');
      const server = await peer('udp6', '::1');
      layer.send(options(), { protocol: 'udp', address: '::1', port: server.port });
      layer.send(options(), { protocol: 'udp', address: '[::1]', port: server.port });
      await layer.dispose();
      await waitFor(() => server.received.length === 2, 'both datagrams');
    });

    it('reaches an IPv4 peer from a dual-stack socket through its IPv4-mapped address', async () => {
      if (!(await canBind('::'))) {
        console.warn('NOTE: :: cannot be bound on this machine; the dual-stack send was not tested');
        return;
      }
      const { layer } = await startLayer('::');
      const server = await peer('udp4', '127.0.0.1');
      layer.send(options(), { protocol: 'udp', address: '127.0.0.1', port: server.port });
      await waitFor(() => server.received.length === 1, 'the datagram');
    });

    it('reports a host name that does not resolve as a TransportError, as before', async () => {
      const { layer } = await startLayer('127.0.0.1');
      const errors: TransportError[] = [];
      const target = { protocol: 'udp' as const, address: 'no-such-host.invalid', port: 5060 };
      layer.send(options(), target, (e) => errors.push(e));
      await waitFor(() => errors.length === 1, 'the TransportError');
      expect(errors[0]).toBeInstanceOf(TransportError);
      expect(errors[0]?.reason).toMatch(/getaddrinfo/);
      expect(errors[0]?.target).toEqual(target);
      expect(layer.counters.sendErrors).toBe(1);
    });

    it('turns it into a transport error of the client transaction that sent the request', async () => {
      const { layer } = await startLayer('127.0.0.1');
      const transactions = new TransactionLayer({
        sender: layer, clock: new FakeClock(), timers: makeTimerConfig(), user: new RecordingTransactionUser(),
      });
      const user = new RecordingClientUser();
      const invite = parsedRequest(request('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKdns', 'INVITE'));
      const tx = transactions.sendRequest(invite, { protocol: 'udp', address: 'no-such-host.invalid', port: 5060 }, user);
      await waitFor(() => user.errors.length === 1, 'the transport error');
      expect(user.errors[0]?.reason).toMatch(/getaddrinfo/);
      expect(tx.state).toBe('Terminated');
      expect(transactions.size()).toBe(0);
    });
  });
});
