import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registrar, type RegisterOutcome } from '../../../../src/registrar/registrar.js';
import { LocationService } from '../../../../src/registrar/location-service.js';
import { type Binding, bindingKey } from '../../../../src/registrar/binding.js';
import { RegistrationStore } from '../../../../src/store/registration-store.js';
import { parseMessage } from '../../../../sip-stack/parser/message-parser.js';
import { SipRequest } from '../../../../sip-stack/message/sip-message.js';

const settings = { minExpires: 60, maxExpires: 3600, defaultExpires: 600, maxContacts: 3 };
const source = { protocol: 'udp' as const, address: '192.0.2.7', port: 40000, flowId: undefined };
let now = 1_000_000;
const clock = (): number => now;
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function request(text: string): SipRequest {
  const m = parseMessage(Buffer.from(text.replace(/\r?\n/g, '\r\n')));
  if (!(m instanceof SipRequest)) throw new Error('not a request');
  return m;
}

function fixture(name: string): SipRequest {
  const m = parseMessage(readFileSync(join(__dirname, '../../../fixtures/rfc4475', name)));
  if (!(m instanceof SipRequest)) throw new Error(`${name} did not parse`);
  return m;
}

let cseq = 1;
function register(contact: string, extra = '', callId = 'reg-1@phone'): SipRequest {
  return request(`REGISTER sip:pbx.local SIP/2.0
Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK${cseq}
From: <sip:100@pbx.local>;tag=a
To: <sip:100@pbx.local>
Call-ID: ${callId}
CSeq: ${cseq++} REGISTER
${contact ? `Contact: ${contact}\n` : ''}${extra}Content-Length: 0

`);
}

function setup(store?: RegistrationStore): { registrar: Registrar; location: LocationService } {
  const location = new LocationService(store, clock);
  return { registrar: new Registrar(location, settings, clock), location };
}

function run(registrar: Registrar, req: SipRequest, user = '100', known: (u: string) => boolean = (u) => u === '100'): RegisterOutcome {
  return registrar.handle({ request: req, source, authenticatedUser: user, userExists: known });
}

describe('Registrar (RFC 3261 §10.3)', () => {
  it('dates the 200 from its clock, in RFC 1123 form (§20.17)', () => {
    const { registrar } = setup();
    now = Date.UTC(2026, 10, 28, 16, 45, 7, 900);
    const first = run(registrar, register('<sip:100@192.0.2.7:5060>'));
    expect(first.headers.find(([name]) => name === 'Date')?.[1]).toBe('Sat, 28 Nov 2026 16:45:07 GMT');
    now += 100;
    const next = run(registrar, register('<sip:100@192.0.2.7:5060>'));
    expect(next.headers.find(([name]) => name === 'Date')?.[1]).toBe('Sat, 28 Nov 2026 16:45:08 GMT');
    now = 1_000_000;
  });

  it('binds a contact with the default expiry and lists it in the 200', () => {
    const { registrar, location } = setup();
    const out = run(registrar, register('<sip:100@192.0.2.7:5060>'));
    expect(out.status).toBe(200);
    expect(out.headers).toContainEqual(['Contact', '<sip:100@192.0.2.7:5060>;expires=600']);
    expect(location.lookup('100')).toHaveLength(1);
    expect(location.lookup('100')[0]!.source).toEqual(source);
  });

  it('keeps several devices of one user', () => {
    const { registrar, location } = setup();
    run(registrar, register('<sip:100@192.0.2.7:5060>', '', 'a'));
    run(registrar, register('<sip:100@192.0.2.8:5060>', '', 'b'));
    expect(location.lookup('100').map((b) => b.contact).sort()).toEqual(['sip:100@192.0.2.7:5060', 'sip:100@192.0.2.8:5060']);
  });

  it('MUST answer 423 with Min-Expires for a too brief interval, and clamp a too long one', () => {
    const { registrar, location } = setup();
    const brief = run(registrar, register('<sip:100@192.0.2.7>;expires=10'));
    expect(brief.status).toBe(423);
    expect(brief.headers).toContainEqual(['Min-Expires', '60']);
    run(registrar, register('<sip:100@192.0.2.7>', 'Expires: 99999\n'));
    expect(location.lookup('100')[0]!.expiresAt).toBe(now + 3600 * 1000);
  });

  it('removes a binding with expires=0 and all bindings with Contact: * and Expires: 0', () => {
    const { registrar, location } = setup();
    run(registrar, register('<sip:100@192.0.2.7>', '', 'a'));
    run(registrar, register('<sip:100@192.0.2.8>', '', 'b'));
    run(registrar, register('<sip:100@192.0.2.7>;expires=0', '', 'a'));
    expect(location.lookup('100')).toHaveLength(1);
    expect(run(registrar, register('*', '', 'c')).status).toBe(400);
    expect(run(registrar, register('*', 'Expires: 0\n', 'c')).status).toBe(200);
    expect(location.lookup('100')).toHaveLength(0);
  });

  it('replaces the binding of the same +sip.instance/reg-id from a new address (RFC 5626)', () => {
    const { registrar, location } = setup();
    const inst = ';+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1';
    run(registrar, register(`<sip:100@192.0.2.7:5060>${inst}`, '', 'a'));
    run(registrar, register(`<sip:100@198.51.100.9:6000>${inst}`, '', 'b'));
    const bindings = location.lookup('100');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.contact).toBe('sip:100@198.51.100.9:6000');
  });

  it('MUST NOT let a user register another user (403), and gives 404 for an unknown AOR', () => {
    const { registrar } = setup();
    expect(run(registrar, register('<sip:100@192.0.2.7>'), '101', () => true).status).toBe(403);
    expect(run(registrar, register('<sip:100@192.0.2.7>'), '100', () => false).status).toBe(404);
  });

  it('refuses an out-of-order REGISTER on the same Call-ID (§10.3 step 7)', () => {
    const { registrar } = setup();
    const first = register('<sip:100@192.0.2.7>', '', 'same');
    const second = register('<sip:100@192.0.2.7>', '', 'same');
    expect(run(registrar, second).status).toBe(200);
    expect(run(registrar, first).status).toBe(500);
  });

  it('refuses more devices than maxContacts', () => {
    const { registrar } = setup();
    for (let i = 1; i <= 3; i++) expect(run(registrar, register(`<sip:100@192.0.2.${i}>`, '', `c${i}`)).status).toBe(200);
    expect(run(registrar, register('<sip:100@192.0.2.99>', '', 'c4')).status).toBe(403);
  });

  it('hides expired bindings at once and prunes them', () => {
    const { registrar, location } = setup();
    run(registrar, register('<sip:100@192.0.2.7>;expires=60'));
    now += 61_000;
    expect(location.lookup('100')).toHaveLength(0);
    expect(location.prune()).toBe(1);
  });

  it('persists bindings in SQLite so a restart keeps them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'softswitch-store-'));
    dirs.push(dir);
    const path = join(dir, 'reg.db');
    const store = new RegistrationStore(path);
    const { registrar } = setup(store);
    run(registrar, register('<sip:100@192.0.2.7:5060;transport=udp>', 'User-Agent: DeskPhone 1.0\n'));
    store.close();
    const reopened = new RegistrationStore(path);
    const location = new LocationService(reopened, clock);
    expect(location.restore()).toBe(1);
    const [b] = location.lookup('100');
    expect(b!.contact).toBe('sip:100@192.0.2.7:5060;transport=udp');
    expect(b!.source).toEqual(source);
    expect(b!.userAgent).toBe('DeskPhone 1.0');
    reopened.close();
  });
});

describe('Registrar with RFC 4475 messages', () => {
  const anyUser = (): boolean => true;
  it('cparam01: ;unknownparam outside <> is a contact parameter, never a URI parameter (§3.3.12)', () => {
    const { registrar, location } = setup();
    expect(run(registrar, fixture('cparam01.dat'), 'watson', anyUser).status).toBe(200);
    expect(location.lookup('watson')[0]!.contact).toBe('sip:+19725552222@gw1.example.net');
  });

  it('cparam02: a URI parameter inside <> is kept in the binding (§3.3.13)', () => {
    const { registrar, location } = setup();
    expect(run(registrar, fixture('cparam02.dat'), 'watson', anyUser).status).toBe(200);
    expect(location.lookup('watson')[0]!.contact).toContain(';unknownparam');
  });

  it('regescrt: the escaped Route header stays in the bound URI (§3.3.14)', () => {
    const { registrar, location } = setup();
    expect(run(registrar, fixture('regescrt.dat'), 'user', anyUser).status).toBe(200);
    expect(location.lookup('user')[0]!.contact).toBe('sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  });

  it('escnull: two distinct contacts for AOR null-%00-null, nothing truncated (§3.1.1.4)', () => {
    const { registrar, location } = setup();
    const aor = 'null-\u0000-null';
    expect(run(registrar, fixture('escnull.dat'), aor, anyUser).status).toBe(200);
    expect(location.lookup(aor).map((b) => b.contact).sort()).toEqual(['sip:%00%00@host5.example.com', 'sip:%00@host5.example.com']);
  });

  it('unksm2: a To that is not a SIP URI gets 400 (§3.3.4)', () => {
    const { registrar } = setup();
    expect(run(registrar, fixture('unksm2.dat'), 'user', anyUser).status).toBe(400);
  });

  it('regbadct: an unbracketed Contact with an escaped header gets 400 (§3.1.2.13)', () => {
    const { registrar } = setup();
    expect(run(registrar, fixture('regbadct.dat'), 'user', anyUser).status).toBe(400);
  });
});

describe('RegistrationStore write-behind', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function binding(aor: string, port: number): Binding {
    return {
      aor, contact: `sip:${aor}@192.0.2.7:${port}`, instanceId: undefined, regId: undefined, userAgent: undefined, q: undefined, expiresAt: Date.now() + 60_000, callId: `c-${aor}`, cseq: 1,
      source: { protocol: 'udp', address: '192.0.2.7', port, flowId: undefined }, registeredAt: Date.now(),
    };
  }

  it('commits the writes of one event-loop turn together, in order, by the next turn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'softswitch-store-'));
    dirs.push(dir);
    const path = join(dir, 'reg.db');
    const store = new RegistrationStore(path);
    const reader = new RegistrationStore(path);
    for (let i = 0; i < 500; i++) store.save(binding(String(1000 + i), 5060));
    store.save(binding('1000', 6000));
    store.remove('1001', bindingKey(binding('1001', 5060)));
    expect(reader.loadLive(Date.now())).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    const live = reader.loadLive(Date.now());
    expect(live).toHaveLength(500);
    expect(live.filter((b) => b.aor === '1000').map((b) => b.source.port).sort()).toEqual([5060, 6000]);
    expect(live.some((b) => b.aor === '1001')).toBe(false);
    store.close();
    reader.close();
  });

  it('reports a failed write instead of throwing from the timer, and keeps the other writes of its batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'softswitch-store-'));
    dirs.push(dir);
    const errors: unknown[] = [];
    const path = join(dir, 'reg.db');
    const store = new RegistrationStore(path, (e) => errors.push(e));
    const broken = binding('2000', 5060);
    store.save(binding('1999', 5060));
    store.save({ ...broken, callId: undefined as unknown as string });
    store.save(binding('2001', 5060));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    store.close();
    const reader = new RegistrationStore(path);
    expect(reader.loadLive(Date.now()).map((b) => b.aor).sort()).toEqual(['1999', '2001']);
    reader.close();
  });
});
