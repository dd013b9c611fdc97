import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Inviter, type SessionDescriptionHandlerModifier } from 'sip.js';
import { Phone, type Call, type PhoneOptions } from '../../support/phone.js';
import { waitFor } from '../../support/wait-for.js';
import { FakeRegistrar } from './fake-registrar.js';

// Two phones wired to each other (each one's "server" is the other's SIP socket): the test
// phone is proven here without the softswitch, so switch tests can trust it.

const phones: Phone[] = [];
const registrars: FakeRegistrar[] = [];

afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
  await Promise.all(registrars.splice(0).map((r) => r.close()));
});

async function phone(options: Partial<PhoneOptions> & { user: string }): Promise<Phone> {
  const created = await Phone.create({ domain: 'pbx.local', ...options });
  phones.push(created);
  return created;
}

async function wired(a: PhoneOptionsLite = {}, b: PhoneOptionsLite = {}): Promise<[Phone, Phone]> {
  const alice = await phone({ user: 'alice', displayName: 'Alice', ...a });
  const bob = await phone({ user: 'bob', displayName: 'Bob', ...b });
  alice.setServer(bob.sipAddress);
  bob.setServer(alice.sipAddress);
  return [alice, bob];
}
type PhoneOptionsLite = Partial<PhoneOptions>;

/** alice calls bob, bob answers; both legs established. */
async function establishedCall(alice: Phone, bob: Phone): Promise<[Call, Call]> {
  const outgoing = await alice.call('bob');
  const incoming = await bob.nextIncoming();
  await incoming.answer();
  await outgoing.waitForState('established');
  return [outgoing, incoming];
}

function requireValue<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

describe('Phone: a call between two test phones', () => {
  it('rings the callee with the caller identity, answers, and audio flows both ways', async () => {
    const [alice, bob] = await wired();
    const outgoing = await alice.call('bob');
    const incoming = await bob.nextIncoming();
    expect(incoming.direction).toBe('incoming');
    expect(incoming.remoteIdentity).toMatchObject({ displayName: 'Alice', user: 'alice' });
    await outgoing.waitForState('ringing');
    expect(incoming.state).toBe('ringing');

    await incoming.answer();
    await outgoing.waitForState('established');
    expect(outgoing.finalStatus).toBe(200);
    expect(outgoing.remoteIdentity).toMatchObject({ displayName: '', user: 'bob' }); // the 2xx To
    await Promise.all([outgoing.expectAudioFlowing(), incoming.expectAudioFlowing()]);

    const aliceRtp = requireValue(outgoing.mediaHandler, 'alice media').localPort;
    const bobRtp = requireValue(incoming.mediaHandler, 'bob media').localPort;
    expect([...outgoing.media.receivedFrom]).toEqual([`127.0.0.1:${bobRtp}`]);
    expect([...incoming.media.receivedFrom]).toEqual([`127.0.0.1:${aliceRtp}`]);
    expect(outgoing.media.receivedPayloadTypes).toEqual(new Set([0]));
  });

  it('takes the remote identity of an outgoing call from the 2xx P-Asserted-Identity', async () => {
    const [alice, bob] = await wired();
    const outgoing = await alice.call('bob');
    await (await bob.nextIncoming()).answer(5000, ['P-Asserted-Identity: "Front Desk" <sip:101@pbx.local>']);
    await outgoing.waitForState('established');
    expect(outgoing.remoteIdentity).toEqual({ displayName: 'Front Desk', user: '101', uri: 'sip:101@pbx.local' });
  });

  it('plays early media from a 183 with SDP when asked to', async () => {
    const [alice, bob] = await wired();
    const outgoing = await alice.call('bob', { earlyMedia: true });
    const incoming = await bob.nextIncoming();
    await incoming.progress(183);
    await outgoing.waitForState('early');
    await Promise.all([outgoing.expectAudioFlowing(), incoming.expectAudioFlowing()]);
    expect(outgoing.responses.map((r) => r.status)).toEqual([100, 180, 183]);
    await incoming.answer();
    await outgoing.waitForState('established');
    await outgoing.expectAudioFlowing();
  });

  it('puts its real address in Via and Contact, and offers PCMU + telephone-event at 20 ms', async () => {
    const [alice, bob] = await wired();
    await establishedCall(alice, bob);
    const invite = requireValue(alice.findSip({ direction: 'out', method: 'INVITE' })[0], 'INVITE');
    const port = alice.sipAddress.port;
    expect(invite.header('via')).toMatch(new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${port};branch=z9hG4bK\\w+;rport$`));
    expect(invite.header('contact')).toContain(`<sip:alice@127.0.0.1:${port};transport=udp`);
    expect(alice.contactUri).toBe(`sip:alice@127.0.0.1:${port};transport=udp`);
    expect(invite.body).toMatch(/^c=IN IP4 127\.0\.0\.1$/m);
    expect(invite.body).toMatch(/^m=audio \d+ RTP\/AVP 0 101$/m);
    expect(invite.body).toMatch(/^a=fmtp:101 0-16$/m);
    expect(invite.body).toMatch(/^a=ptime:20$/m);
    expect(invite.body).toMatch(/^a=sendrecv$/m);
  });

  it('hold stops audio from the held side only, resume restores it, inactive stops both', async () => {
    const [alice, bob] = await wired();
    const [outgoing, incoming] = await establishedCall(alice, bob);
    await outgoing.expectAudioFlowing();

    await outgoing.hold();
    expect(outgoing.mediaHandler?.direction).toBe('sendonly');
    expect(incoming.mediaHandler?.direction).toBe('recvonly');
    expect(incoming.reinvitesReceived).toBe(1);
    await outgoing.expectAudioStopped(); // bob, held, no longer sends
    await incoming.expectAudioFlowing(); // alice (music on hold side) still does

    await outgoing.unhold();
    await Promise.all([outgoing.expectAudioFlowing(), incoming.expectAudioFlowing()]);

    await incoming.hold('inactive');
    await Promise.all([outgoing.expectAudioStopped(), incoming.expectAudioStopped()]);
    await incoming.unhold();
    await Promise.all([outgoing.expectAudioFlowing(), incoming.expectAudioFlowing()]);
  });

  it('re-points its RTP when a re-INVITE announces a new media address', async () => {
    const [alice, bob] = await wired();
    const [outgoing, incoming] = await establishedCall(alice, bob);
    const elsewhere = createSocket('udp4');
    await new Promise<void>((resolve) => elsewhere.bind(0, '127.0.0.1', resolve));
    let arrived = 0;
    elsewhere.on('message', () => (arrived += 1));
    try {
      const port = elsewhere.address().port;
      const moveTo: SessionDescriptionHandlerModifier = async (description) => ({
        ...description,
        sdp: String(description.sdp).replace(/^m=audio \d+/m, `m=audio ${port}`),
      });
      await new Promise<void>((resolve, reject) => {
        incoming.session
          .invite({ sessionDescriptionHandlerModifiers: [moveTo], requestDelegate: { onAccept: () => resolve() } })
          .catch(reject);
      });
      await waitFor(() => arrived >= 10, { what: 'RTP at the new address' });
      expect(outgoing.mediaHandler?.sendingTo).toBe(`127.0.0.1:${port}`);
      expect(outgoing.media.sentTo.has(`127.0.0.1:${port}`)).toBe(true);
    } finally {
      elsewhere.close();
    }
  });

  it('sends RFC 4733 DTMF that the other phone counts once per digit', async () => {
    const [alice, bob] = await wired();
    const [outgoing, incoming] = await establishedCall(alice, bob);
    await outgoing.sendDtmfRfc4733('5');
    await outgoing.sendDtmfRfc4733('#');
    await incoming.waitForDtmf('5#');
    await incoming.sendDtmfRfc4733('*');
    await outgoing.waitForDtmf('*');
    expect(incoming.media.dtmfReceived).toEqual(['5', '#']);
    expect(outgoing.media.dtmfSent).toEqual(['5', '#']);
    expect(incoming.media.receivedPayloadTypes.has(101)).toBe(true);
  });

  it('sends DTMF by SIP INFO as application/dtmf-relay', async () => {
    const [alice, bob] = await wired();
    const [outgoing, incoming] = await establishedCall(alice, bob);
    expect(await outgoing.sendDtmfInfo('7')).toBe(200);
    await incoming.waitForInfoDtmf('7');
    expect(incoming.infoReceived[0]).toMatchObject({
      contentType: 'application/dtmf-relay',
      body: 'Signal=7\r\nDuration=160\r\n',
      signal: '7',
    });
    expect(bob.findSip({ direction: 'in', method: 'INFO' })).toHaveLength(1);
  });

  it('reports the callee rejecting with 486 as the final status', async () => {
    const [alice, bob] = await wired();
    const outgoing = await alice.call('bob');
    const incoming = await bob.nextIncoming();
    await incoming.reject(486);
    await outgoing.waitForState('terminated');
    expect(outgoing.finalStatus).toBe(486);
    expect(outgoing.termination).toMatchObject({ by: 'remote', status: 486 });
    await expect(outgoing.waitForState('established', 100)).rejects.toThrow(/is terminated, it will not become established/);
  });

  it('cancels a ringing call: the callee terminates and saw the CANCEL with its Reason', async () => {
    const [alice, bob] = await wired();
    const outgoing = await alice.call('bob');
    const incoming = await bob.nextIncoming();
    await outgoing.waitForState('ringing');
    await outgoing.hangup(5000, 'SIP;cause=200;text="Call completed elsewhere"');
    await incoming.waitForState('terminated');
    expect(outgoing.finalStatus).toBe(487);
    expect(incoming.termination).toMatchObject({
      by: 'remote',
      method: 'CANCEL',
      reason: 'SIP;cause=200;text="Call completed elsewhere"',
    });
    expect(bob.findSip({ direction: 'in', method: 'CANCEL' })).toHaveLength(1);
  });

  it('hangs up with BYE from either side', async () => {
    const [alice, bob] = await wired();
    const [out1, in1] = await establishedCall(alice, bob);
    await out1.hangup();
    await in1.waitForState('terminated');
    expect(out1.termination).toMatchObject({ by: 'local', method: 'BYE' });
    expect(in1.termination).toMatchObject({ by: 'remote', method: 'BYE' });

    const [out2, in2] = await establishedCall(alice, bob);
    await in2.hangup();
    await out2.waitForState('terminated');
    expect(out2.termination).toMatchObject({ by: 'remote', method: 'BYE' });
  });

  it('answers 488 when no offered codec is supported, and negotiates a common one otherwise', async () => {
    const [alice, bob] = await wired({}, { codecs: ['PCMA'] });
    const mismatched = await alice.call('bob', { codecs: ['PCMU'] });
    await expect((await bob.nextIncoming()).answer()).rejects.toThrow(/no common codec.*488/);
    await mismatched.waitForState('terminated');
    expect(mismatched.finalStatus).toBe(488);

    const [outgoing, incoming] = await Promise.all([alice.call('bob', { codecs: ['PCMU', 'PCMA'] }), bob.nextIncoming()]);
    await incoming.answer();
    await outgoing.expectAudioFlowing();
    expect(outgoing.mediaHandler?.codec?.name).toBe('PCMA');
    expect(outgoing.media.receivedPayloadTypes).toEqual(new Set([8]));
  });

  it('names what it waited for when nothing comes', async () => {
    const [, bob] = await wired();
    await expect(bob.nextIncoming(50)).rejects.toThrow(/incoming call at bob/);
  });

  it('close() ends calls, frees every socket, and is idempotent', async () => {
    const [alice, bob] = await wired();
    const [outgoing, incoming] = await establishedCall(alice, bob);
    const ports = [
      alice.sipAddress.port,
      bob.sipAddress.port,
      requireValue(outgoing.mediaHandler, 'alice media').localPort,
      requireValue(incoming.mediaHandler, 'bob media').localPort,
    ];
    expect(alice.openSockets).toBe(2);
    await alice.close();
    await incoming.waitForState('terminated'); // alice said BYE on the way out
    await Promise.all([bob.close(), alice.close(), bob.close()]);
    expect([alice.openSockets, bob.openSockets]).toEqual([0, 0]);
    for (const port of ports) {
      const probe = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.bind(port, '127.0.0.1', resolve);
      });
      probe.close();
    }
  });
});

describe('Phone: several devices of one user', () => {
  it('gives each device its own socket, contact and +sip.instance', async () => {
    const instance = randomUUID();
    const desk = await phone({ user: 'carol', instanceId: instance });
    const mobile = await phone({ user: 'carol', instanceId: randomUUID() });
    const bob = await phone({ user: 'bob' });
    desk.setServer(bob.sipAddress);
    bob.setServer(desk.sipAddress);
    expect(desk.contactUri).not.toBe(mobile.contactUri);
    const outgoing = await desk.call('bob');
    await (await bob.nextIncoming()).answer();
    await outgoing.waitForState('established');
    const invite = requireValue(desk.findSip({ direction: 'out', method: 'INVITE' })[0], 'INVITE');
    expect(invite.header('contact')).toContain(`+sip.instance="<urn:uuid:${instance}>"`);
    expect(outgoing.session).toBeInstanceOf(Inviter);
  });
});

describe('Phone: registration (against a minimal fake registrar)', () => {
  async function registeredPhone(password: string, wrongPasswordStatus: 401 | 403 = 403): Promise<[Phone, FakeRegistrar]> {
    const registrar = await FakeRegistrar.start({ alice: 'secret' }, { wrongPasswordStatus });
    registrars.push(registrar);
    const alice = await phone({ user: 'alice', password, server: registrar.address, instanceId: randomUUID(), regId: 1 });
    return [alice, registrar];
  }

  it('answers the digest challenge and resolves 200', async () => {
    const [alice] = await registeredPhone('secret');
    expect(await alice.register(300)).toBe(200);
    expect(alice.registered).toBe(true);
    const registers = alice.findSip({ direction: 'out', method: 'REGISTER' });
    expect(registers).toHaveLength(2);
    expect(registers[1]?.header('authorization')).toMatch(/^Digest .*username="alice"/);
    expect(registers[1]?.header('contact')).toMatch(
      new RegExp(`^<sip:alice@127\\.0\\.0\\.1:${alice.sipAddress.port};transport=udp>;\\+sip\\.instance="<urn:uuid:[-0-9a-f]+>";reg-id=1;expires=300$`),
    );
    expect(registers[1]?.requestUri).toBe('sip:pbx.local');
  });

  it('resolves with the failure status after a wrong password (403, or 401 again)', async () => {
    const [forbidden] = await registeredPhone('wrong', 403);
    expect(await forbidden.register()).toBe(403);
    const [challenged] = await registeredPhone('wrong', 401);
    expect(await challenged.register()).toBe(401);
    expect(challenged.registered).toBe(false);
  });

  it('unregisters explicitly, and best-effort on close()', async () => {
    const [alice, registrar] = await registeredPhone('secret');
    await alice.register();
    expect(await alice.unregister()).toBe(200);
    expect(alice.registered).toBe(false);
    await alice.register();
    await alice.close();
    const last = registrar.received.filter((r) => r.method === 'REGISTER').at(-1);
    expect(last?.header('contact')).toMatch(/;expires=0$/);
  });
});
