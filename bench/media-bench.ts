/**
 * Media (DESIGN §6): G.711 calls with RTP both ways (sipp rtp_stream, 50 pps each way per call)
 * through the relay, at each concurrency, with the driver bench/sipp/media.sh (the anchors'
 * media.sh): loss and added latency from a 3 s loopback capture matched by SSRC and sequence,
 * kernel drops on the relay's sockets, and the server's CPU over a steady-state window.
 * Targets in the same run: Kamailio + rtpengine (userspace) started by media-stack.sh, the
 * softswitch (its own relay, calls authenticated), and optionally sipp to sipp (generator cost).
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

export async function runMedia(options: MediaOptions, stage: Stage): Promise<MediaResult[]> {
  mkdirSync(options.dir, { recursive: true });
  const results: MediaResult[] = [];
  const log = join(options.dir, 'media.log');
  const common = {
    RAMP_S: String(options.rampS), MARGIN_S: String(options.marginS), CAPTURE: options.capture ? '1' : '0',
  };
  for (const conc of options.concurrency) {
    if (options.anchors) {
      stage.say(`media: ${conc} calls through Kamailio + rtpengine (media-stack.sh)`);
      const stackDir = join(options.dir, `rtpengine-${conc}`);
      const stack = await startMediaStack(stackDir);
      try {
        const r = await mediaRun('127.0.0.1:5072', conc, options.callMs, {
          ...common, SERVER_PIDS: stack.pids().join(' '), OUT_DIR: join(stackDir, 'run'),
        }, log);
        results.push({ ...r, system: 'Kamailio + rtpengine', conc: String(conc) });
        stage.say(`  ${r.line}`);
      } finally {
        await stack.stop();
      }
      await sleep(2000);
    }

    stage.say(`media: ${conc} calls through the softswitch relay`);
    const swDir = join(options.dir, `softswitch-media-${conc}`);
    const sw = await BenchSwitch.start({ dir: swDir, callers: 1000, mediaPorts: options.mediaPorts, mediaTimeout: 60 });
    try {
      const users = injectionFile(join(swDir, 'callers.csv'), callerIds(1000));
      const callee = injectionFile(join(swDir, 'callee.csv'), [MEDIA_CALLEE]);
      const r = await mediaRun(sw.target, conc, options.callMs, {
        ...common,
        SERVER_PIDS: String(sw.pid), RTPENGINE_CLI: '', RELAY_PORTS: `${options.mediaPorts[0]}-${options.mediaPorts[1]}`,
        UAC_SCENARIO: sippFile('uac_media_auth.xml'), UAC_ARGS: `-s ${MEDIA_CALLEE} -inf ${users}`,
        REGISTER_TARGET: sw.target, REGISTER_INF: callee, OUT_DIR: join(swDir, 'run'),
      }, log);
      const after = await sw.resources().catch(() => undefined);
      results.push({
        ...r, system: 'softswitch', conc: String(conc),
        ...(after ? { calls_after: String(after.calls), rss_after_mb: (after.rssKb / 1024).toFixed(0) } : {}),
      });
      stage.say(`  ${r.line}`);
    } finally {
      await sw.stop();
    }
    await sleep(2000);

    if (options.direct) {
      stage.say(`media: ${conc} calls sipp -> sipp direct (generator cost, no relay)`);
      const r = await mediaRun('127.0.0.1:5092', conc, options.callMs, {
        ...common, SERVER_PIDS: '', RTPENGINE_CLI: '', OUT_DIR: join(options.dir, `direct-media-${conc}`),
      }, log);
      results.push({ ...r, system: 'sipp direct (no relay)', conc: String(conc) });
      stage.say(`  ${r.line}`);
      await sleep(2000);
    }
  }
  return results;
}
