/**
 * Media (DESIGN §6): G.711 calls with RTP both ways (sipp rtp_stream, 50 pps each way per call)
 * through the relay, at each concurrency, with the driver bench/sipp/media.sh (the anchors'
 * media.sh): loss and added latency from a 3 s loopback capture matched by SSRC and sequence,
 * kernel drops on the relay's sockets, and the server's CPU over a steady-state window.
 * Targets in the same run: Kamailio + rtpengine (userspace) started by media-stack.sh, the
 * softswitch (its own relay, calls authenticated), and optionally sipp to sipp (generator cost).
 *
 * Comparing builds or node flags under this load needs them in the same run (the machine is
 * shared and noisy), interleaved, and repeated:
 *   BENCH_MEDIA_REPEATS=N         each concurrency N times, every target once per repeat
 *   BENCH_MEDIA_VARIANTS='a=--max-semi-space-size=16;b=/other/dist/src/cli.js'
 *                                 more switches after the default one, each `label=words`: words
 *                                 starting with '-' are node flags added to the build's own
 *                                 `npm start` flags, another word is that build's cli.js
 *   BENCH_BASELINE=cli.js         also a variant, labelled `baseline` (as in the cps/REGISTER stages)
 *   BENCH_MEDIA_NODE=0            leaves out the variant `node-forwarder` (this build with
 *                                 media.forwarder: node, every packet through node:dgram), which
 *                                 otherwise runs after the default switch (forwarder: native)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startMediaStack } from './harness/anchors.js';
import { BenchSwitch, callerIds, injectionFile, MEDIA_CALLEE } from './harness/softswitch.js';
import { sippFile } from './harness/paths.js';
import { mediaRun } from './harness/sipp.js';
import { sleep } from './harness/proc.js';
import type { Stage } from './ladder.js';

export interface MediaOptions {
  readonly concurrency: readonly number[];
  readonly callMs: number;
  readonly rampS: number;
  readonly marginS: number;
  readonly anchors: boolean;
  readonly direct: boolean;
  readonly capture: boolean;
  readonly dir: string;
  readonly mediaPorts: readonly [number, number];
}

export type MediaResult = Record<string, string> & { readonly system: string; readonly conc: string };

/** One switch to measure: the build's cli.js and node flags added to its `npm start` ones. */
export interface MediaVariant {
  /** '' for the default build; else shown after `softswitch` in the table. */
  readonly label: string;
  readonly cli?: string;
  readonly nodeArgs: readonly string[];
  readonly forwarder?: 'native' | 'node';
}

/** The default switch, then BENCH_BASELINE, then BENCH_MEDIA_VARIANTS (see the header). */
export function mediaVariants(env: NodeJS.ProcessEnv = process.env): MediaVariant[] {
  const variants: MediaVariant[] = [{ label: '', nodeArgs: [] }];
  if (env.BENCH_MEDIA_NODE !== '0') variants.push({ label: 'node-forwarder', nodeArgs: [], forwarder: 'node' });
  if (env.BENCH_BASELINE) variants.push({ label: 'baseline', cli: env.BENCH_BASELINE, nodeArgs: [] });
  for (const spec of (env.BENCH_MEDIA_VARIANTS ?? '').split(';')) {
    const at = spec.indexOf('=');
    if (spec.trim() === '' || at <= 0) continue;
    const words = spec.slice(at + 1).trim().split(/\s+/).filter((w) => w !== '');
    const cli = words.find((w) => !w.startsWith('-'));
    variants.push({ label: spec.slice(0, at).trim(), nodeArgs: words.filter((w) => w.startsWith('-')), ...(cli ? { cli } : {}) });
  }
  return variants;
}

export async function runMedia(options: MediaOptions, stage: Stage): Promise<MediaResult[]> {
  mkdirSync(options.dir, { recursive: true });
  const results: MediaResult[] = [];
  const repeats = Math.max(1, Number(process.env.BENCH_MEDIA_REPEATS ?? 1));
  const variants = mediaVariants();
  for (const conc of options.concurrency) {
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const tag = repeats > 1 ? `-r${repeat}` : '';
      const mark = (r: MediaResult): MediaResult => (repeats > 1 ? { ...r, repeat: String(repeat) } : r);
      if (options.anchors) results.push(mark(await runAnchor(options, conc, tag, stage)));
      for (const variant of variants) results.push(mark(await runSwitch(options, conc, variant, tag, stage)));
      if (options.direct) results.push(mark(await runDirect(options, conc, tag, stage)));
    }
  }
  return results;
}

function commonEnv(options: MediaOptions): Record<string, string> {
  return { RAMP_S: String(options.rampS), MARGIN_S: String(options.marginS), CAPTURE: options.capture ? '1' : '0' };
}

async function runAnchor(options: MediaOptions, conc: number, tag: string, stage: Stage): Promise<MediaResult> {
  stage.say(`media: ${conc} calls through Kamailio + rtpengine (media-stack.sh)`);
  const stackDir = join(options.dir, `rtpengine-${conc}${tag}`);
  const stack = await startMediaStack(stackDir);
  try {
    const r = await mediaRun('127.0.0.1:5072', conc, options.callMs, {
      ...commonEnv(options), SERVER_PIDS: stack.pids().join(' '), OUT_DIR: join(stackDir, 'run'),
    }, join(options.dir, 'media.log'));
    stage.say(`  ${r.line}`);
    return { ...r, system: 'Kamailio + rtpengine', conc: String(conc) };
  } finally {
    await stack.stop();
    await sleep(2000);
  }
}

async function runSwitch(options: MediaOptions, conc: number, variant: MediaVariant, tag: string, stage: Stage): Promise<MediaResult> {
  const system = variant.label === '' ? 'softswitch' : `softswitch ${variant.label}`;
  stage.say(`media: ${conc} calls through the ${system} relay${variant.nodeArgs.length > 0 ? ` (${variant.nodeArgs.join(' ')})` : ''}`);
  const swDir = join(options.dir, `softswitch${variant.label === '' ? '' : `-${variant.label}`}-media-${conc}${tag}`);
  const sw = await BenchSwitch.start({
    dir: swDir, callers: 1000, mediaPorts: options.mediaPorts, mediaTimeout: 60, nodeArgs: variant.nodeArgs,
    ...(variant.cli ? { cli: variant.cli } : {}), ...(variant.forwarder ? { mediaForwarder: variant.forwarder } : {}),
  });
  try {
    const users = injectionFile(join(swDir, 'callers.csv'), callerIds(1000));
    const callee = injectionFile(join(swDir, 'callee.csv'), [MEDIA_CALLEE]);
    const r = await mediaRun(sw.target, conc, options.callMs, {
      ...commonEnv(options),
      SERVER_PIDS: String(sw.pid), RTPENGINE_CLI: '', RELAY_PORTS: `${options.mediaPorts[0]}-${options.mediaPorts[1]}`,
      UAC_SCENARIO: sippFile('uac_media_auth.xml'), UAC_ARGS: `-s ${MEDIA_CALLEE} -inf ${users}`,
      REGISTER_TARGET: sw.target, REGISTER_INF: callee, OUT_DIR: join(swDir, 'run'),
    }, join(options.dir, 'media.log'));
    const after = await sw.resources().catch(() => undefined);
    stage.say(`  ${r.line}`);
    return {
      ...r, system, conc: String(conc),
      ...(after ? { calls_after: String(after.calls), rss_after_mb: (after.rssKb / 1024).toFixed(0) } : {}),
    };
  } finally {
    await sw.stop();
    await sleep(2000);
  }
}

async function runDirect(options: MediaOptions, conc: number, tag: string, stage: Stage): Promise<MediaResult> {
  stage.say(`media: ${conc} calls sipp -> sipp direct (generator cost, no relay)`);
  const r = await mediaRun('127.0.0.1:5092', conc, options.callMs, {
    ...commonEnv(options), SERVER_PIDS: '', RTPENGINE_CLI: '', OUT_DIR: join(options.dir, `direct-media-${conc}${tag}`),
  }, join(options.dir, 'media.log'));
  stage.say(`  ${r.line}`);
  await sleep(2000);
  return { ...r, system: 'sipp direct (no relay)', conc: String(conc) };
}
