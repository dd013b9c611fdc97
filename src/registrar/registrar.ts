import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import type { NameAddr } from '../../sip-stack/message/name-addr.js';
import { formatUri, isSipUri, unescapeUriPart } from '../../sip-stack/message/sip-uri.js';
import { unquote } from '../../sip-stack/message/params.js';
import { type Binding, type BindingSource, bindingKey } from './binding.js';
import type { LocationService } from './location-service.js';
import { DateHeader } from './date-header.js';

export interface RegistrarSettings {
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires: number;
  readonly maxContacts: number;
}

/** What the registrar decided; the caller turns it into a response. */
export interface RegisterOutcome {
  readonly status: number;
  readonly reason?: string;
  readonly headers: Array<readonly [string, string]>;
}

export interface RegisterInput {
  readonly request: SipRequest;
  readonly source: BindingSource;
  /** The user the request authenticated as (digest username). */
  readonly authenticatedUser: string;
  /** Whether the AOR's user exists. */
  readonly userExists: (user: string) => boolean;
}

interface ContactUpdate {
  readonly binding: Binding;
  readonly expires: number;
}

/** REGISTER processing of RFC 3261 §10.3 with RFC 5626 instance/reg-id bindings. */
export class Registrar {
  private readonly date = new DateHeader();

  constructor(
    private readonly location: LocationService,
    private readonly settings: RegistrarSettings,
    private readonly now: () => number,
  ) {}

  handle(input: RegisterInput): RegisterOutcome {
    const { request } = input;
    const to = request.to;
    // §10.3 step 5: the To header must be a SIP or SIPS AOR.
    if (!isSipUri(to.uri) || to.uri.user === undefined) return fail(400, 'To is not a SIP address of record');
    const aor = unescapeUriPart(to.uri.user);
    if (!input.userExists(aor)) return fail(404);
    // §10.3 step 6: an authenticated user may only change its own bindings.
    if (aor !== input.authenticatedUser) return fail(403, 'Not allowed to register this user');
    if (request.check('contact')) return fail(400, 'Malformed Contact');
    const contacts = request.contacts;
    if (contacts === '*') return this.removeAll(request, aor);
    const updates = this.collectUpdates(request, aor, contacts, input.source);
    if (!Array.isArray(updates)) return updates;
    return this.apply(aor, updates);
  }

  /** §10.3 step 6: `Contact: *` only with `Expires: 0` and alone. */
  private removeAll(request: SipRequest, aor: string): RegisterOutcome {
    if (request.get('Expires') !== '0') return fail(400, 'Wildcard Contact needs Expires: 0');
    const stale = this.location.lookup(aor).find((b) => b.callId === request.callId && b.cseq >= request.cseq.seq);
    if (stale) return fail(500, 'Out of order REGISTER');
    this.location.removeAll(aor);
    return ok([], this.date.valueAt(this.now()));
  }

  private collectUpdates(
    request: SipRequest, aor: string, contacts: NameAddr[], source: BindingSource,
  ): ContactUpdate[] | RegisterOutcome {
    const headerExpires = parseExpires(request.get('Expires'));
    const updates: ContactUpdate[] = [];
    for (const contact of contacts) {
      const expires = parseExpires(contact.params.get('expires') ?? undefined) ?? headerExpires ?? this.settings.defaultExpires;
      // §10.3 step 6: a non-zero expiry below our minimum gets 423 with Min-Expires.
      if (expires > 0 && expires < this.settings.minExpires) {
        return { status: 423, headers: [['Min-Expires', String(this.settings.minExpires)]] };
      }
      const binding = this.makeBinding(request, aor, contact, source, Math.min(expires, this.settings.maxExpires));
      // §10.3 step 7: same Call-ID with a CSeq not higher means an out-of-order request.
      const existing = this.location.find(aor, bindingKey(binding));
      if (existing && existing.callId === binding.callId && existing.cseq >= binding.cseq) {
        return fail(500, 'Out of order REGISTER');
      }
      updates.push({ binding, expires });
    }
    return updates;
  }

  private makeBinding(request: SipRequest, aor: string, contact: NameAddr, source: BindingSource, expires: number): Binding {
    const now = this.now();
    const instance = contact.params.get('+sip.instance');
    const regId = contact.params.get('reg-id');
    const q = contact.params.get('q');
    return {
      aor,
      contact: formatUri(contact.uri),
      instanceId: instance ? unquote(instance) : undefined,
      regId: regId ? Number(regId) : undefined,
      expiresAt: now + expires * 1000,
      callId: request.callId,
      cseq: request.cseq.seq,
      source,
      userAgent: request.get('User-Agent'),
      q: q ? Number(q) : undefined,
      registeredAt: now,
    };
  }

  private apply(aor: string, updates: ContactUpdate[]): RegisterOutcome {
    const current = new Set(this.location.lookup(aor).map(bindingKey));
    const added = updates.filter((u) => u.expires > 0 && !current.has(bindingKey(u.binding))).length;
    if (current.size + added > this.settings.maxContacts) return fail(403, 'Too many registered devices');
    for (const { binding, expires } of updates) {
      if (expires === 0) this.location.remove(aor, bindingKey(binding));
      else this.location.put(binding);
    }
    return ok(this.contactHeaders(aor), this.date.valueAt(this.now()));
  }

  /** §10.3 step 8: the 200 lists every current binding with its remaining expiry. */
  private contactHeaders(aor: string): Array<readonly [string, string]> {
    const now = this.now();
    return this.location.lookup(aor).map((b) => {
      const left = Math.max(0, Math.round((b.expiresAt - now) / 1000));
      const instance = b.instanceId === undefined ? '' : `;+sip.instance="${b.instanceId}"`;
      const regId = b.regId === undefined ? '' : `;reg-id=${b.regId}`;
      return ['Contact', `<${b.contact}>;expires=${left}${instance}${regId}`] as const;
    });
  }
}

function fail(status: number, reason?: string): RegisterOutcome {
  return reason === undefined ? { status, headers: [] } : { status, reason, headers: [] };
}

function ok(contacts: Array<readonly [string, string]>, date: string): RegisterOutcome {
  contacts.push(['Date', date]);
  return { status: 200, headers: contacts };
}

/** delta-seconds; an absurd value (RFC 4475 scalar02) is treated as the largest we allow. */
function parseExpires(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}
