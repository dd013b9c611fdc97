import type { Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { buildRtp, buildTelephoneEvent, dtmfEventCode } from './rtp-packet.js';
import { PTIME_MS, sends, type Codec, type MediaDirection } from './sdp-offer-answer.js';
import type { MediaStats } from './media-stats.js';

/** The outcome of an offer/answer exchange, as far as sending is concerned. */
export interface MediaPlan {
  readonly remote: { readonly address: string; readonly port: number };
  /** The codec we send; undefined if the stream was rejected (port 0). */
  readonly codec: Codec | undefined;
  /** The other side's telephone-event payload type, if both sides announced one. */
  readonly telephoneEventPt: number | undefined;
  /** Our agreed direction. */
  readonly direction: MediaDirection;
}

const SAMPLES_PER_FRAME = (8000 * PTIME_MS) / 1000; // 160: the RTP clock of every codec we offer is 8 kHz
const PAYLOAD_BYTES = 160;
/** Silence in each codec, so a relay that inspects payloads sees sane audio. */
const SILENCE: Readonly<Record<string, number>> = { PCMU: 0xff, PCMA: 0xd5 };
/** RFC 4733 §2.5.1.3: the end packet is sent three times. */
const EVENT_END_REPEATS = 3;
/** Progress packets before the end packets: 4 x 20 ms, then the end at 100 ms total. */
const EVENT_PROGRESS_PACKETS = 4;
const EVENT_VOLUME = 10;
/** After an event-loop stall, send at most this many late frames at once, skip the rest. */
const MAX_CATCH_UP_FRAMES = 3;

interface PendingEvent {
  readonly digit: string;
  readonly code: number;
  step: number;
  startTimestamp: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Paces RTP at one frame per 20 ms from a monotonic clock (so a late timer tick catches up
 * rather than lowering the rate), and sends audio or queued RFC 4733 events while the plan
 * allows it. The RTP clock keeps running while nothing is sent, as a real phone's would.
 */
export class RtpSender {
  plan: MediaPlan | undefined;
  private readonly ssrc = randomInt(1, 2 ** 32 - 1);
  private sequence = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 2 ** 32 - 1);
  private framesDone = 0;
  private clockStart = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private startOfTalkspurt = true;
  private readonly events: PendingEvent[] = [];

  constructor(
    private readonly socket: Socket,
    private readonly stats: MediaStats,
  ) {}

  /** True if the plan lets us send right now. */
  get canSend(): boolean {
    const plan = this.plan;
    return (
      !this.stopped &&
      plan !== undefined &&
      plan.codec !== undefined &&
      sends(plan.direction) &&
      plan.remote.port !== 0 &&
      plan.remote.address !== '0.0.0.0' // RFC 2543 style hold
    );
  }

  get destination(): string | undefined {
    return this.canSend && this.plan ? `${this.plan.remote.address}:${this.plan.remote.port}` : undefined;
  }

  start(): void {
    if (this.stopped || this.timer) return;
    this.clockStart = performance.now();
    this.timer = setInterval(() => this.tick(), PTIME_MS / 2);
    this.timer.unref(); // a test that forgets close() must not keep the worker alive
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const event of this.events.splice(0)) event.reject(new Error('media closed before DTMF was sent'));
  }

  queueEvent(digit: string): Promise<void> {
    const code = dtmfEventCode(digit);
    return new Promise((resolve, reject) => {
      this.events.push({ digit, code, step: 0, startTimestamp: 0, resolve, reject });
    });
  }

  private tick(): void {
    const due = Math.floor((performance.now() - this.clockStart) / PTIME_MS);
    let sentNow = 0;
    while (this.framesDone < due) {
      this.framesDone += 1;
      this.timestamp = (this.timestamp + SAMPLES_PER_FRAME) >>> 0;
      if (sentNow < MAX_CATCH_UP_FRAMES || this.framesDone === due) this.sendFrame();
      sentNow += 1;
    }
  }

  private sendFrame(): void {
    const plan = this.plan;
    if (!this.canSend || !plan?.codec) {
      this.startOfTalkspurt = true;
      return;
    }
    const event = this.events[0];
    if (event && plan.telephoneEventPt !== undefined) this.sendEventPacket(event, plan.telephoneEventPt, plan);
    else this.sendAudio(plan.codec, plan);
  }

  private sendAudio(codec: Codec, plan: MediaPlan): void {
    const payload = Buffer.alloc(PAYLOAD_BYTES, SILENCE[codec.name] ?? 0);
    this.send(plan, this.startOfTalkspurt, codec.payloadType, this.timestamp, payload);
    this.startOfTalkspurt = false;
  }

  /** RFC 4733 §2.5: one timestamp per event, growing duration, marker on the first packet. */
  private sendEventPacket(event: PendingEvent, payloadType: number, plan: MediaPlan): void {
    if (event.step === 0) event.startTimestamp = this.timestamp;
    const end = event.step >= EVENT_PROGRESS_PACKETS;
    const frames = Math.min(event.step, EVENT_PROGRESS_PACKETS) + 1;
    const payload = buildTelephoneEvent({
      event: event.code,
      end,
      volume: EVENT_VOLUME,
      duration: frames * SAMPLES_PER_FRAME,
    });
    this.send(plan, event.step === 0, payloadType, event.startTimestamp, payload);
    event.step += 1;
    if (event.step < EVENT_PROGRESS_PACKETS + EVENT_END_REPEATS) return;
    this.events.shift();
    this.stats.dtmfSent.push(event.digit);
    event.resolve();
  }

  private send(plan: MediaPlan, marker: boolean, payloadType: number, timestamp: number, payload: Buffer): void {
    const packet = buildRtp({ marker, payloadType, sequence: this.sequence, timestamp, ssrc: this.ssrc }, payload);
    this.sequence = (this.sequence + 1) & 0xffff;
    this.socket.send(packet, plan.remote.port, plan.remote.address);
    this.stats.sent += 1;
    this.stats.sentTo.add(`${plan.remote.address}:${plan.remote.port}`);
  }
}
