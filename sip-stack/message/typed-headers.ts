import { SipParseError } from '../parser/sip-parse-error.js';
import type { CSeq } from './cseq.js';
import { splitHeaderList } from './header-list.js';
import { MessageHeaders } from './message-headers.js';
import { type ContactList, VIEW_PARSERS, type ViewKey, type ViewTypes } from './message-views.js';
import type { NameAddr } from './name-addr.js';
import { tagOf } from './fast-views.js';
import { essentialsScanClean, wireCSeq } from './essentials-scan.js';
import type { Via } from './via.js';

/**
 * Header lines with the typed views a stack reads (Via, From, To, Call-ID, CSeq, Contact, Route,
 * Record-Route, Max-Forwards), each parsed on first use and memoised until its header changes.
 */
export abstract class TypedHeaders extends MessageHeaders {
  // Memoised views, one field each rather than a cache object: no allocation per message.
  private viaView: Via[] | SipParseError | undefined;
  private fromView: NameAddr | SipParseError | undefined;
  private toView: NameAddr | SipParseError | undefined;
  private callIdView: string | SipParseError | undefined;
  private cseqView: CSeq | SipParseError | undefined;
  private contactView: ContactList | SipParseError | undefined;
  private routeView: NameAddr[] | SipParseError | undefined;
  private recordRouteView: NameAddr[] | SipParseError | undefined;
  private maxForwardsView: number | SipParseError | typeof NO_VALUE | undefined;
  /** Set once essentialsScanClean passed: the lines are unmodified as long as parsedHead() is. */
  private essentialsClean = false;

  /** Called on any change to the header lines. */
  protected abstract touch(): void;

  // ---- typed views --------------------------------------------------------------------------

  /** All Via values, topmost first. Views are shared by every reader: do not modify them. */
  get vias(): Via[] {
    return this.view('via');
  }

  /** The topmost Via; a message without one (never one that passed checkMessage) throws. */
  get topVia(): Via {
    const top = this.vias[0];
    if (!top) throw new Error('message has no Via');
    return top;
  }

  /** The raw text of the topmost Via value (the first element of the first Via line). */
  topViaValue(): string | undefined {
    const first = this.get('Via');
    if (first === undefined) return undefined;
    const parts = splitHeaderList(first);
    return parts instanceof SipParseError ? undefined : parts[0];
  }

  get from(): NameAddr {
    return this.view('from');
  }

  get to(): NameAddr {
    return this.view('to');
  }

  get fromTag(): string | undefined {
    return tagOf(this.from);
  }

  get toTag(): string | undefined {
    return tagOf(this.to);
  }

  get callId(): string {
    const memo = this.callIdView;
    return typeof memo === 'string' ? memo : this.view('call-id');
  }

  // Read of every request by the check and the transaction layer: the memo first, directly.
  get cseq(): CSeq {
    const memo = this.cseqView;
    return memo !== undefined && !(memo instanceof SipParseError) ? memo : this.view('cseq');
  }

  /** Contact values, or '*' for the wildcard of §10.2.2. */
  get contacts(): ContactList {
    return this.view('contact');
  }

  get routes(): NameAddr[] {
    return this.view('route');
  }

  get recordRoutes(): NameAddr[] {
    return this.view('record-route');
  }

  /** Max-Forwards, or undefined when absent. */
  get maxForwards(): number | undefined {
    return this.view('max-forwards');
  }

  get contentType(): string | undefined {
    return this.get('Content-Type');
  }

  /**
   * Parses one typed view into the cache and returns its parse error instead of throwing: the
   * parser rejects malformed messages at the door with it, and code reading optional headers
   * (Contact, Route) of messages that may carry bad ones checks before it reads.
   */
  check<K extends ViewKey>(key: K): SipParseError | undefined {
    const value = this.lookup(key);
    return value instanceof SipParseError ? value : undefined;
  }

  /**
   * check() of Via, From, To, Call-ID and CSeq in that order: the first error, if any. What
   * checkMessage asks of every message, with direct calls rather than five lookups by key.
   */
  checkEssentials(): SipParseError | undefined {
    // An unmodified head whose lines take the fast paths needs none of those views built now.
    const head = this.parsedHead();
    if (head !== undefined && (this.essentialsClean ||= essentialsScanClean(head))) {
      this.cseqView ??= wireCSeq(head);
      return this.checkCSeq();
    }
    const via = (this.viaView ??= VIEW_PARSERS.via(this));
    if (via instanceof SipParseError) return via;
    const from = (this.fromView ??= VIEW_PARSERS.from(this));
    if (from instanceof SipParseError) return from;
    const to = (this.toView ??= VIEW_PARSERS.to(this));
    if (to instanceof SipParseError) return to;
    const callId = (this.callIdView ??= VIEW_PARSERS['call-id'](this));
    if (callId instanceof SipParseError) return callId;
    return this.checkCSeq();
  }

  private checkCSeq(): SipParseError | undefined {
    const cseq = (this.cseqView ??= VIEW_PARSERS.cseq(this));
    return cseq instanceof SipParseError ? cseq : undefined;
  }

  private lookup<K extends ViewKey>(key: K): ViewTypes[K] | SipParseError {
    const cached = this.cached(key);
    if (cached !== undefined) return (cached === NO_VALUE ? undefined : cached) as ViewTypes[K] | SipParseError;
    const value = VIEW_PARSERS[key](this) as ViewTypes[K] | SipParseError;
    this.memoise(key, value === undefined ? NO_VALUE : value);
    return value;
  }

  /** Reading a malformed header through a view is a programmer error: check() first. */
  private view<K extends ViewKey>(key: K): ViewTypes[K] {
    const value = this.lookup(key);
    if (value instanceof SipParseError) throw new Error(`${key}: ${value.reason}`);
    return value;
  }

  private cached(key: ViewKey): unknown {
    switch (key) {
      case 'via': return this.viaView;
      case 'from': return this.fromView;
      case 'to': return this.toView;
      case 'call-id': return this.callIdView;
      case 'cseq': return this.cseqView;
      case 'contact': return this.contactView;
      case 'route': return this.routeView;
      case 'record-route': return this.recordRouteView;
      case 'max-forwards': return this.maxForwardsView;
    }
  }

  /** Stores a view (or, with undefined, forgets it); the value is what VIEW_PARSERS[key] gave. */
  private memoise(key: ViewKey, value: unknown): void {
    switch (key) {
      case 'via': this.viaView = value as Via[] | SipParseError | undefined; break;
      case 'from': this.fromView = value as NameAddr | SipParseError | undefined; break;
      case 'to': this.toView = value as NameAddr | SipParseError | undefined; break;
      case 'call-id': this.callIdView = value as string | SipParseError | undefined; break;
      case 'cseq': this.cseqView = value as CSeq | SipParseError | undefined; break;
      case 'contact': this.contactView = value as ContactList | SipParseError | undefined; break;
      case 'route': this.routeView = value as NameAddr[] | SipParseError | undefined; break;
      case 'record-route': this.recordRouteView = value as NameAddr[] | SipParseError | undefined; break;
      case 'max-forwards': this.maxForwardsView = value as number | SipParseError | typeof NO_VALUE | undefined; break;
    }
  }

  protected override headersChanged(key: string | undefined): void {
    this.touch();
    if (key === undefined) {
      for (const k of VIEW_KEYS) this.memoise(k, undefined);
    } else if (isViewKey(key)) this.memoise(key, undefined);
  }
}

/** Memoised views; NO_VALUE stands for a view whose value is undefined (no Max-Forwards). */
const NO_VALUE: unique symbol = Symbol('no value');

const VIEW_KEYS: readonly ViewKey[] = ['via', 'from', 'to', 'call-id', 'cseq', 'contact', 'route', 'record-route', 'max-forwards'];

function isViewKey(key: string): key is ViewKey {
  return (VIEW_KEYS as readonly string[]).includes(key);
}
