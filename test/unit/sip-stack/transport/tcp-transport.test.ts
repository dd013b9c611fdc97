import { afterEach, describe, expect, it } from 'vitest';
import { makeResponse } from '../../../../sip-stack/message/make-response.js';
import { SipResponse } from '../../../../sip-stack/message/sip-message.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { type TransportLayerOptions, TransportLayer } from '../../../../sip-stack/transport/transport-layer.js';
import { TransportError } from '../../../../sip-stack/transport/transport-types.js';
import {
  RecordingUser, TcpPeer, canBind, closedPort, parsedRequest, request, tcpServer, waitFor,
} from './transport-test-helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startLayer(host = '127.0.0.1', extra: Partial<TransportLayerOptions> = {}): Promise<{ layer: TransportLayer; user: RecordingUser; port: number }> {
  const user = new RecordingUser();
  const layer = new TransportLayer({ listen: [{ protocol: 'tcp', host, port: 0 }], user, ...extra });
  cleanups.push(() => layer.dispose());
  await layer.start();
  return { layer, user, port: layer.localEndpoint('tcp').port };
}

async function connect(host: string, port: number): Promise<TcpPeer> {
  const peer = await TcpPeer.connect(host, port);
  cleanups.push(() => peer.socket.destroy());
  return peer;
}

async function server(host = '127.0.0.1'): Promise<Awaited<ReturnType<typeof tcpServer>>> {
  const s = await tcpServer(host);
  cleanups.push(() => new Promise((resolve) => s.server.close(resolve)));
  cleanups.push(() => s.peers.forEach((p) => p.socket.destroy()));
  return s;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function status(bytes: Buffer | undefined): number | undefined {
  const m = bytes && parseMessage(bytes, { stream: true });
  return m instanceof SipResponse ? m.status : undefined;
}

describe('TCP transport', () => {
  it('delivers a request with its flow and sends the response back on the same connection', async () => {
    const { layer, user, port } = await startLayer();
    expect(layer.isReliable('tcp')).toBe(true);
    const phone = await connect('127.0.0.1', port);
    phone.socket.write(request('SIP/2.0/TCP phone.invalid:5070;rport;branch=z9hG4bKt1'));
    await waitFor(() => user.requests.length === 1, 'the request');
    const { request: r, source } = user.requests[0] as (typeof user.requests)[number];
    expect(source).toMatchObject({ protocol: 'tcp', address: '127.0.0.1', port: phone.socket.localPort, localPort: port });
    expect(source.flowId).toMatch(/^tcp-\d+$/);
    expect(r.topVia).toMatchObject({ received: '127.0.0.1', rport: phone.socket.localPort });
    layer.sendResponse(makeResponse(r, 200), source);
    await waitFor(() => phone.messages.length === 1, 'the response');
    expect(status(phone.messages[0])).toBe(200);
  });

  it('sends a request on a known flow, and accepts the response on it', async () => {
    const { layer, user, port } = await startLayer();
    const phone = await connect('127.0.0.1', port);
    phone.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKreg', 'REGISTER'));
    await waitFor(() => user.requests.length === 1, 'the REGISTER');
    const flowId = user.requests[0]?.source.flowId;
    // The address is unreachable on purpose: only the flow can deliver it.
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKinv', 'INVITE')), { protocol: 'tcp', address: '192.0.2.1', port: 9, flowId });
    await waitFor(() => phone.messages.length === 1, 'the INVITE on the flow');
    phone.socket.write('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKinv\r\nContent-Length: 0\r\n\r\n');
    await waitFor(() => user.responses.length === 1, 'the 180');
    expect(user.responses[0]?.source.flowId).toBe(flowId);
  });

  it('reuses one outbound connection for a second send to the same address', async () => {
    const { layer } = await startLayer();
    const peer = await server();
    const target = { protocol: 'tcp' as const, address: '127.0.0.1', port: peer.port };
    const errors: TransportError[] = [];
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKa')), target, (e) => errors.push(e));
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKb')), target, (e) => errors.push(e));
    await waitFor(() => peer.peers[0]?.messages.length === 2, 'both requests');
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKc')), target, (e) => errors.push(e));
    await waitFor(() => peer.peers[0]?.messages.length === 3, 'the third request');
    expect(peer.peers).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(layer.counters.connectionsOpened).toBe(1);
  });

  it('a response whose flow has closed falls back to a new connection to received / sent-by port', async () => {
    const { layer, user, port } = await startLayer();
    const phoneServer = await server();
    const phone = await connect('127.0.0.1', port);
    phone.socket.write(request(`SIP/2.0/TCP 127.0.0.1:${phoneServer.port};branch=z9hG4bKfb`));
    await waitFor(() => user.requests.length === 1, 'the request');
    phone.socket.destroy();
    await waitFor(() => layer.connectionCount === 0, 'the flow to close');
    const { request: r, source } = user.requests[0] as (typeof user.requests)[number];
    layer.sendResponse(makeResponse(r, 486), source);
    await waitFor(() => phoneServer.peers[0]?.messages.length === 1, 'the response on a new connection');
    expect(status(phoneServer.peers[0]?.messages[0])).toBe(486);
  });

  it('answers a peer that sends garbage with 400 when it can, drops it, and other connections carry on', async () => {
    const { layer, user, port } = await startLayer();
    const good = await connect('127.0.0.1', port);
    const bad = await connect('127.0.0.1', port);
    const noLength = request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKbad').toString().replace(/Content-Length: 0\r\n/, '');
    bad.socket.write(noLength);
    await waitFor(() => bad.closed, 'the bad connection to close');
    expect(bad.rawText).toMatch(/^SIP\/2\.0 400 Missing Content-Length\r\n/);
    const garbage = await connect('127.0.0.1', port);
    garbage.socket.write(Buffer.alloc(20_000, 0x41));
    await waitFor(() => garbage.closed, 'the garbage connection to close');
    expect(garbage.rawText).toBe('');
    good.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKgood'));
    await waitFor(() => user.requests.length === 1, 'the good request');
    expect(good.closed).toBe(false);
    expect(layer.counters.framingErrors).toBe(2);
  });

  it('answers a body above the limit with 513 and closes', async () => {
    const { port } = await startLayer('127.0.0.1', { tcp: { framer: { maxBodyBytes: 1000 } } });
    const phone = await connect('127.0.0.1', port);
    phone.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKbig', 'MESSAGE', 'x'.repeat(1001)));
    await waitFor(() => phone.closed, 'the connection to close');
    expect(status(phone.messages[0])).toBe(513);
  });

  it('a message that frames but does not parse goes to receiveMalformed and keeps the connection', async () => {
    const { user, port } = await startLayer();
    const phone = await connect('127.0.0.1', port);
    phone.socket.write('NOT A REQUEST LINE\r\nContent-Length: 0\r\n\r\n');
    phone.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKafter'));
    await waitFor(() => user.malformed.length === 1 && user.requests.length === 1, 'one malformed, one request');
    expect(phone.closed).toBe(false);
  });

  it('RFC 5626 §3.5.1: answers a CRLFCRLF ping with a CRLF pong, and ignores a pong', async () => {
    const { layer, port } = await startLayer();
    const phone = await connect('127.0.0.1', port);
    phone.socket.write('\r\n');
    phone.socket.write('\r\n\r\n');
    await waitFor(() => phone.rawText.length > 0, 'the pong');
    expect(phone.rawText).toBe('\r\n');
    expect(layer.counters.keepAlivePings).toBe(1);
  });

  it('reports connection refused through onError for every queued send', async () => {
    const { layer } = await startLayer();
    const port = await closedPort('127.0.0.1');
    const errors: TransportError[] = [];
    const target = { protocol: 'tcp' as const, address: '127.0.0.1', port };
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKr1')), target, (e) => errors.push(e));
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKr2')), target, (e) => errors.push(e));
    await waitFor(() => errors.length === 2, 'two TransportErrors');
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect(errors[0]?.reason).toMatch(/ECONNREFUSED/);
    expect(errors[0]?.target).toEqual(target);
    expect(layer.connectionCount).toBe(0);
  });

  it('closes idle connections on the injected clock: inbound and outbound have their own times', async () => {
    const clock = new FakeClock();
    const { layer, user, port } = await startLayer('127.0.0.1', { clock, tcp: { inboundIdleMs: 60_000, outboundIdleMs: 5_000 } });
    const phone = await connect('127.0.0.1', port);
    phone.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKi1'));
    await waitFor(() => user.requests.length === 1, 'the first request');
    clock.advance(59_000);
    phone.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKi2'));
    await waitFor(() => user.requests.length === 2, 'the second request');
    // Activity at 59 s moved the inbound deadline to 119 s.
    clock.advance(58_000);
    const peer = await server();
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo')), { protocol: 'tcp', address: '127.0.0.1', port: peer.port });
    await waitFor(() => peer.peers[0]?.messages.length === 1, 'the outbound request');
    clock.advance(1_000);
    expect(phone.closed).toBe(false);
    clock.advance(1_000);
    await waitFor(() => phone.closed, 'the inbound connection to close at 119 s');
    expect(peer.peers[0]?.closed).toBe(false);
    clock.advance(3_000);
    await waitFor(() => peer.peers[0]?.closed === true, 'the outbound connection to close 5 s after its last use');
    expect(layer.connectionCount).toBe(0);
  });

  it('closes a connection whose message is not completed in time; a slow complete one is served and others carry on', async () => {
    const deadlineMs = 300;
    const { layer, user, port } = await startLayer('127.0.0.1', { tcp: { messageDeadlineMs: deadlineMs } });
    const quiet = await connect('127.0.0.1', port);
    quiet.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKq1'));
    await waitFor(() => user.requests.length === 1, 'the quiet connection to be served');
    const stalled = await connect('127.0.0.1', port);
    const slow = await connect('127.0.0.1', port);
    const half = request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKstall');
    const whole = request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKslow');
    const started = performance.now();
    stalled.socket.write(half.subarray(0, half.length >> 1));
    slow.socket.write(whole.subarray(0, whole.length >> 1));
    await sleep(deadlineMs / 3);
    slow.socket.write(whole.subarray(whole.length >> 1));
    await waitFor(() => user.requests.length === 2, 'the slow request');
    const { request: r, source } = user.requests[1] as (typeof user.requests)[number];
    expect(r.topVia?.branch).toBe('z9hG4bKslow');
    layer.sendResponse(makeResponse(r, 200), source);
    await waitFor(() => slow.messages.length === 1, 'the response to the slow request');
    expect(status(slow.messages[0])).toBe(200);
    await waitFor(() => stalled.closed, 'the stalled connection to close');
    // The wheel fires a timer late, never early.
    expect(performance.now() - started).toBeGreaterThanOrEqual(deadlineMs);
    expect(stalled.rawText).toBe('');
    await sleep(started + 1.5 * deadlineMs - performance.now());
    expect(slow.closed).toBe(false);
    expect(quiet.closed).toBe(false);
    quiet.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKq2'));
    await waitFor(() => user.requests.length === 3, 'the quiet connection to be served again');
    expect(layer.connectionCount).toBe(2);
  });

  it('refuses connections beyond the limit', async () => {
    const { layer, user, port } = await startLayer('127.0.0.1', { tcp: { maxConnections: 1 } });
    const first = await connect('127.0.0.1', port);
    first.socket.write(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKl1'));
    await waitFor(() => user.requests.length === 1, 'the first connection to be served');
    const second = await connect('127.0.0.1', port);
    await waitFor(() => second.closed, 'the second connection to be refused');
    const errors: TransportError[] = [];
    layer.send(parsedRequest(request('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKl2')), { protocol: 'tcp', address: '127.0.0.1', port: 1 }, (e) => errors.push(e));
    await waitFor(() => errors.length === 1, 'the limit error');
    expect(errors[0]?.reason).toBe('Connection limit reached');
    expect(layer.counters.connectionsRejected).toBe(2);
    expect(first.closed).toBe(false);
  });

  it('works over IPv6 loopback (::1) when the machine has it', async () => {
    if (!(await canBind('::1'))) {
      console.warn('NOTE: ::1 cannot be bound on this machine; the IPv6 TCP assertions were not run');
      return;
    }
    const { layer, user, port } = await startLayer('::1');
    const phone = await connect('::1', port);
    phone.socket.write(request('SIP/2.0/TCP [::1];branch=z9hG4bK6'));
    await waitFor(() => user.requests.length === 1, 'the IPv6 request');
    const { request: r, source } = user.requests[0] as (typeof user.requests)[number];
    expect(source).toMatchObject({ address: '::1', localAddress: '::1' });
    layer.sendResponse(makeResponse(r, 200), source);
    await waitFor(() => phone.messages.length === 1, 'the IPv6 response');
    const peer = await server('::1');
    layer.send(r, { protocol: 'tcp', address: '[::1]', port: peer.port });
    await waitFor(() => peer.peers[0]?.messages.length === 1, 'the IPv6 outbound request');
  });
});
