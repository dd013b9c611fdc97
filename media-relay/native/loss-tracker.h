/*
 * Packets lost from one RTP sender (RFC 3550 Appendix A.1, without the probation period), as
 * media-relay/rtp/sequence-tracker.ts counts them: the same numbers whichever path a packet took.
 */
#ifndef RELAY_LOSS_TRACKER_H
#define RELAY_LOSS_TRACKER_H

#include <stdint.h>

#define SEQ_MOD 0x10000
#define MAX_DROPOUT 3000
#define MAX_MISORDER 100

typedef struct {
  int started;
  uint32_t ssrc;
  int base, max, bad;
  int64_t cycles, received, lost_before;
} loss_tracker_t;

static inline int64_t tracker_current_lost(const loss_tracker_t *t) {
  if (!t->started) return 0;
  int64_t expected = t->cycles + t->max - t->base + 1;
  int64_t lost = expected - t->received;
  return lost > 0 ? lost : 0;
}

static inline int64_t tracker_lost(const loss_tracker_t *t) {
  return t->lost_before + tracker_current_lost(t);
}

static inline void tracker_restart(loss_tracker_t *t, uint32_t ssrc, int seq) {
  t->lost_before += tracker_current_lost(t);
  t->started = 1;
  t->ssrc = ssrc;
  t->base = t->max = seq;
  t->cycles = 0;
  t->received = 1;
  t->bad = -1;
}

static inline void tracker_update(loss_tracker_t *t, uint32_t ssrc, int seq) {
  if (!t->started || ssrc != t->ssrc) {
    tracker_restart(t, ssrc, seq);
    return;
  }
  int forward = (seq - t->max) & 0xffff;
  if (forward < MAX_DROPOUT) {
    // In order, possibly with a gap; a smaller number means the counter wrapped.
    if (seq < t->max) t->cycles += SEQ_MOD;
    t->max = seq;
  } else if (forward <= SEQ_MOD - MAX_MISORDER) {
    // A big jump: believed only when the next packet follows on (the sender restarted).
    if (seq != t->bad) {
      t->bad = (seq + 1) & 0xffff;
      return;
    }
    tracker_restart(t, ssrc, seq);
    return;
  }
  t->received++;
}

#endif
