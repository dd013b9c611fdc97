/**
 * The RFC 4475 torture messages, sent raw to a running switch while a sipp call is up through it:
 * each gets the answer the manifest (test/fixtures/rfc4475/manifest.ts) calls for, as seen on the
 * wire, and afterwards the call set up before them completes normally and OPTIONS is answered.
 *
 * Over the wire the switch challenges every out-of-dialog request from a stranger before the
 * registrar or the B2BUA looks at it, so rows decided by those layers show up as 401 (REGISTER)
 * or 407 (anything else); the rows decided by the parser and the stateless checks show their
 * own status (see the README of the messages).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RFC4475_CASES, type TortureCase } from '../../fixtures/rfc4475/manifest.js';
import type { RunningSwitch } from '../../support/softswitch-fixture.js';
import {
  credentialsRow, freePort, removeCleanSippRuns, requireSipp, runSipp, type SippProcess, type SippResult, startSipp,
} from '../../support/sipp.js';
import { startSippSwitch } from './sipp-switch.js';
import { SipText } from '../../support/sip-text.js';
import { waitFor } from '../../support/wait-for.js';
import { type TcpExchange, UdpProbe, statusCodes, tcpExchange, withRport } from './torture-wire.js';

const sipp = requireSipp();

const FIXTURES = fileURLToPath(new URL('../../fixtures/rfc4475/', import.meta.url));
/** How long the call set up before the torture stays up (sipp `-d`): the torture takes ~1 s. */
const HOLD_MS = 5000;
/** After the last expected answer, how long a message that must go unanswered is given. */
const QUIET_MS = 400;


/**
 * Pairs of messages with the same transaction key (REGISTER, branch z9hG4bKkdjuw and the same
 * sent-by): §17.2.3 rightly makes the second a retransmission of the first while the first's
 * transaction lives (64*T1 over UDP), so the second of each pair goes over TCP, before the UDP
 * batch (over TCP a non-INVITE server transaction ends with its final response, Timer J = 0).
 */
const TCP_ONLY = new Set(['cparam02.dat', 'regescrt.dat']);

type WireExpectation = { readonly status: number } | 'no answer';

function load(file: string): Buffer {
  return readFileSync(`${FIXTURES}${file}`);
}

function isResponse(message: Buffer): boolean {
  return message.subarray(0, 4).toString('latin1').toUpperCase() === 'SIP/';
}

/** What the running switch must send back for a torture message from a stranger. */
function overTheWire(c: TortureCase, message: Buffer): WireExpectation {
  if (isResponse(message) || c.expect === 'drop') return 'no answer';
  const text = new SipText(message.toString('latin1'));
  const method = text.startLine.split(' ', 1)[0] ?? '';
  if (c.layer === 'registrar' || c.layer === 'b2bua') return { status: method === 'REGISTER' ? 401 : 407 };
  if (c.expect === 'parse-error') return { status: 400 };
  if (c.expect !== 'valid') return { status: c.expect.status };
  // Well-formed, processed normally: what the router does with it.
  if (/;\s*tag\s*=/i.test(text.header('to') ?? '')) return { status: 481 };
  switch (method) {
    case 'OPTIONS': return { status: 200 };
    case 'REGISTER': return { status: 401 };
    case 'INVITE': return { status: 407 };
    default: return { status: 405 };
  }
}

/** The first Via header line of a message, with its folded continuation lines. */
function topViaHeader(message: Buffer): string {
  const lines = message.toString('latin1').split('\r\n');
  const at = lines.findIndex((line, i) => i > 0 && /^(via|v)[ \t]*:/i.test(line));
  if (at < 0) return '';
  let end = at + 1;
  while (end < lines.length && /^[ \t]/.test(lines[end] ?? '')) end++;
  return lines.slice(at, end).join('\r\n');
}

function finalStatuses(texts: readonly string[]): number[] {
  return [...new Set(texts.flatMap(statusCodes).filter((s) => s >= 200))];
}

function describeCase(c: TortureCase, expectation: WireExpectation): string {
  const what = expectation === 'no answer' ? 'no answer' : String(expectation.status);
  return `${c.file} (§${c.section}, ${typeof c.expect === 'string' ? c.expect : c.expect.status} at ${c.layer}) -> ${what}`;
}

/** The first response in `text` with the given status, as SipText. */
function responseWith(texts: readonly string[], status: number): SipText | undefined {
  for (const t of texts) {
    for (const part of t.split(/(?=SIP\/2\.0 \d{3} )/)) {
      const response = new SipText(part);
      if (response.status === status) return response;
    }
  }
  return undefined;
}

describe.skipIf(sipp.skip)('RFC 4475 torture messages against a running switch with a call up', () => {
  let sw: RunningSwitch;
  let uas: SippProcess | undefined;
  let uac: SippProcess | undefined;

  beforeAll(async () => {
    sw = await startSippSwitch();
    // A long call, sipp to sipp through the switch, up before the first torture message.
    const port = await freePort();
    const registered = await runSipp({
      scenario: 'register.xml', remote: sw.address, port, injection: [credentialsRow('101', 'bob-pw', 'pbx.test')], timeoutMs: 10_000,
    });
    expect(registered.successful, registered.describe()).toBe(1);
    uas = await startSipp({ scenario: 'uas.xml', port, calls: 1, timeoutMs: 40_000 });
    await uas.ready();
    uac = await startSipp({
      scenario: 'uac.xml', remote: sw.address, service: '101', calls: 1, pauseMs: HOLD_MS,
      injection: [credentialsRow('100', 'alice-pw', 'pbx.test')], timeoutMs: 40_000,
    });
    await waitFor(() => sw.sw.calls.all().some((call) => call.state === 'answered'), {
      timeoutMs: 10_000, what: 'the sipp call to be answered through the switch',
    });
  }, 30_000);

  afterAll(async () => {
    await uac?.stop();
    await uas?.stop();
    await sw?.stop();
    removeCleanSippRuns();
  });

  describe('over TCP, each on its own connection', () => {
    const isFinal = (text: string): boolean => statusCodes(text).some((s) => s >= 200);
    const exchange = (file: string, waitMs = 3000): Promise<TcpExchange> => tcpExchange(load(file), sw.tcp.port, waitMs, isFinal);

    it('clerr.dat: Content-Length beyond the bytes sent makes the switch wait for the rest, answering nothing', async () => {
      const result = await exchange('clerr.dat', 300);
      expect(result.text).toBe('');
      expect(result.closedByPeer).toBe(false);
    });

    it.each(['ncl.dat', 'mcl01.dat'])('%s: a stream that cannot be framed gets 400, then the switch closes it', async (file) => {
      const result = await tcpExchange(load(file), sw.tcp.port, 3000);
      expect(statusCodes(result.text)).toEqual([400]);
      expect(result.closedByPeer).toBe(true);
    });

    it.each([
      ['badvers.dat', 505], ['unkscm.dat', 416], ['novelsc.dat', 416], ['bext01.dat', 420], ['intmeth.dat', 501],
      ['esc02.dat', 501], ['mismatch01.dat', 400], ['insuf.dat', 400], ['zeromf.dat', 200],
      ['cparam02.dat', 401], ['regescrt.dat', 401],
    ] as const)('%s gets %i on its connection', async (file, status) => {
      const result = await exchange(file);
      expect(finalStatuses([result.text])).toEqual([status]);
    });

    it('lets the switch forget every connection once we close ours', async () => {
      await waitFor(() => sw.sw.stack.transport.connectionCount === 0, {
        timeoutMs: 5000, what: 'the switch to close the torture connections',
      });
    });
  });

  describe('over UDP, each from its own socket, all at once', () => {
    const cases = RFC4475_CASES.filter((c) => !TCP_ONLY.has(c.file)).map((c) => {
      const message = load(c.file);
      return { c, message, expectation: overTheWire(c, message) };
    });
    const received = new Map<string, string[]>();

    beforeAll(async () => {
      const probes = await Promise.all(cases.map(() => UdpProbe.open()));
      try {
        await Promise.all(cases.map(({ message }, i) => probes[i]?.send(withRport(message), sw.udp.port)));
        const answered = (i: number): boolean => finalStatuses(probes[i]?.received ?? []).length > 0;
        // Every expected answer, then a quiet spell for the rest.
        await waitFor(() => cases.every(({ expectation }, i) => expectation === 'no answer' || answered(i)), {
          timeoutMs: 5000, what: 'an answer to every torture message that must be answered',
        }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, QUIET_MS));
        cases.forEach(({ c }, i) => received.set(c.file, [...(probes[i]?.received ?? [])]));
      } finally {
        await Promise.all(probes.map((p) => p.close()));
      }
    });

    it('withRport reaches the top Via of every request (so that answers come back to our port)', () => {
      for (const { c, message } of cases) {
        if (isResponse(message)) continue;
        expect(topViaHeader(withRport(message)), c.file).toMatch(/;\s*rport\b/i);
      }
    });

    for (const { c, expectation } of cases) {
      it(describeCase(c, expectation), () => {
        const texts = received.get(c.file) ?? [];
        if (expectation === 'no answer') {
          expect(texts, `${c.file}: ${c.note}`).toEqual([]);
          return;
        }
        expect(finalStatuses(texts), `${c.file}: ${c.note}`).toEqual([expectation.status]);
      });
    }

    it('bext01.dat: the 420 lists the unknown Require tags, not the Proxy-Require ones (§8.2.2.3)', () => {
      const response = responseWith(received.get('bext01.dat') ?? [], 420);
      const unsupported = (response?.headerAll('unsupported') ?? []).join(',').split(',').map((t) => t.trim());
      expect(unsupported.sort()).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    });

    it('intmeth.dat, esc02.dat, mismatch02.dat: each 501 carries Allow (§8.2.1)', () => {
      for (const file of ['intmeth.dat', 'esc02.dat', 'mismatch02.dat']) {
        expect(responseWith(received.get(file) ?? [], 501)?.header('allow'), file).toMatch(/INVITE/);
      }
    });

    it('every 400 names what was wrong in its reason phrase', () => {
      for (const [file, texts] of received) {
        const response = responseWith(texts, 400);
        if (response) expect(response.reasonPhrase, file).toMatch(/\S{3,}/);
      }
    });
  });

  describe('afterwards', () => {
    it('the call set up before the torture was still up, and then completes normally on both sides', async () => {
      expect(sw.sw.calls.size, 'the call outlived the torture (HOLD_MS long enough)').toBe(1);
      const caller = await (uac as SippProcess).done;
      const callee = await (uas as SippProcess).done;
      expectOneGoodCall(caller);
      expectOneGoodCall(callee);
      await waitFor(() => sw.sw.calls.size === 0, { timeoutMs: 5000, what: 'the switch to forget the call' });
    }, HOLD_MS + 20_000);

    it('still answers OPTIONS over UDP and TCP', async () => {
      const [udp, tcp] = await Promise.all([
        runSipp({ scenario: 'options.xml', remote: sw.address, service: 'pbx.test', timeoutMs: 10_000 }),
        runSipp({ scenario: 'options.xml', remote: `127.0.0.1:${sw.tcp.port}`, transport: 't1', service: 'pbx.test', timeoutMs: 10_000 }),
      ]);
      expectOneGoodCall(udp);
      expectOneGoodCall(tcp);
    });
  });
});

function expectOneGoodCall(result: SippResult): void {
  expect(result.successful, result.describe()).toBe(1);
  expect(result.failed, result.describe()).toBe(0);
  expect(result.exitCode, result.describe()).toBe(0);
}
