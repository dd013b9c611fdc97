// The SIP parser's head scanner: one pass over the bytes of a common message's head, in C,
// writing offsets into an Int32Array that the TypeScript parser (parser/native-head.ts) turns
// into its ParsedHead. It takes only the plain case: an ASCII head of CRLF lines, no folding,
// a SIP/2.0 start line of the usual shape, a well-formed Content-Length. For anything else it
// returns 0 and the TypeScript parser reads the message itself, so that every error, and every
// judgement beyond the plain case, has a single author. The names, byte classes and roles come
// from the TypeScript tables (through scanner-addon.c), so that both paths read the same grammar.
#include "head-scanner.h"
#include <string.h>

#define MAX_CSEQ 2147483647LL // RFC 3261 §8.1.1.5: less than 2**31

// What one header's scan found, as fast-views.ts keeps it in `scanned` and `picked`.
typedef struct {
  int32_t transport, host_start, host_end, port, params_start, rport;
  int32_t display_start, display_end;
  int32_t tag, tag_end, branch, branch_end, received, received_end, rport_start, rport_end;
  int32_t uri_sips, user_start, user_end, uri_host_start, uri_host_end, uri_port, uri_params_start;
} Found;

typedef struct {
  const Scanner *s;
  const uint8_t *b;
  size_t length;
  int32_t *out;
  int32_t first[ROLES];
  int8_t roles[MAX_LINES];
  int32_t content_length;
  int32_t last_via;
  int32_t seen; // the single-value bits of the lines so far
  int32_t duplicate;
} Scan;

static uint8_t fold(uint8_t c) { return c | 0x20; }

static uint64_t low_bytes(size_t n) { return n >= 8 ? ~0ull : (1ull << (8 * n)) - 1; }

// The first 8 bytes of a name (fewer, zero-padded, for a shorter one), read in one load where
// `room` (the bytes readable from it) allows.
static uint64_t first_word(const uint8_t *name, size_t length, size_t room) {
  uint64_t w = 0;
  if (room >= 8) memcpy(&w, name, 8);
  else for (size_t i = 0; i < length && i < 8; i++) w |= (uint64_t)name[i] << (8 * i);
  return w & low_bytes(length);
}

// `| 0x20` folds case and keeps every other token char distinct (as known-header-names.ts).
static uint64_t fold_word(uint64_t w, size_t length) { return w | (0x2020202020202020ull & low_bytes(length)); }

static uint32_t bucket_of(uint64_t folded, size_t length) {
  return (uint32_t)(((folded * 0x9E3779B97F4A7C15ull) >> 56) ^ length) & (BUCKETS - 1);
}

// Bytes 8 to `length` of a listed spelling (zero-padded past its end) and of a name, compared
// 8 at a time, masked past the end, where `room` (the bytes readable from the name) allows.
static int same_tail(const uint8_t *listed, const uint8_t *name, size_t length, size_t room, int any_case) {
  uint64_t fold_mask = any_case ? 0x2020202020202020ull : 0;
  for (size_t i = 8; i < length; i += 8) {
    uint64_t a, b = 0;
    memcpy(&a, listed + i, 8);
    if (i + 8 <= room) memcpy(&b, name + i, 8);
    else for (size_t k = i; k < length && k < i + 8; k++) b |= (uint64_t)name[k] << (8 * (k - i));
    if (((a | fold_mask) ^ (b | fold_mask)) & low_bytes(length - i)) return 0;
  }
  return 1;
}

static int has(const Scanner *s, uint8_t c, uint8_t bit) { return (s->byte_class[c] & bit) != 0; }

// ---- header names --------------------------------------------------------------------------

// The id of a listed spelling, NAME_OTHER_CASE (another case of one) or NAME_UNLISTED; the
// spelling matched, in any case, into *match (NULL: none).
static int32_t name_id(const Scanner *s, const uint8_t *name, size_t length, size_t room, const Spelling **match) {
  *match = NULL;
  if (length > MAX_NAME) return NAME_UNLISTED;
  uint64_t word = first_word(name, length, room);
  uint64_t folded = fold_word(word, length);
  int32_t other = NAME_UNLISTED;
  for (int32_t k = s->buckets[bucket_of(folded, length)]; k >= 0; k = s->spellings[k].next) {
    const Spelling *e = &s->spellings[k];
    if (e->length != length) continue;
    if (e->word == word && (length <= 8 || same_tail(e->bytes, name, length, room, 0))) {
      *match = e;
      return k;
    }
    if (e->folded == folded && (length <= 8 || same_tail(e->bytes, name, length, room, 1))) {
      *match = e;
      other = NAME_OTHER_CASE;
    }
  }
  return other;
}

// ---- fast paths of fast-views.ts, fast-params.ts and fast-uri.ts ---------------------------

// 1 to 5 digits up to 65535 from i; where they end, or -1; the value into *port.
static int64_t fast_port(const uint8_t *b, int64_t i, int64_t limit, int32_t *port) {
  int64_t start = i;
  int32_t n = 0;
  // Reads at most one digit past the five allowed: enough to refuse a longer run, never overflowing.
  for (; i < limit && b[i] >= '0' && b[i] <= '9' && i - start <= 5; i++) n = n * 10 + (b[i] - '0');
  if (i == start || i - start > 5 || n > 65535) return -1;
  *port = n;
  return i;
}

static void pick(const uint8_t *b, int64_t name, int64_t length, int64_t start, int64_t end, Found *f) {
  if (length == 6 && memcmp(b + name, "branch", 6) == 0) {
    f->branch = (int32_t)start;
    f->branch_end = (int32_t)end;
  } else if (length == 3 && memcmp(b + name, "tag", 3) == 0) {
    f->tag = (int32_t)start;
    f->tag_end = (int32_t)end;
  } else if (length == 8 && memcmp(b + name, "received", 8) == 0) {
    f->received = (int32_t)start;
    f->received_end = (int32_t)end;
  } else if (length == 5 && memcmp(b + name, "rport", 5) == 0) {
    f->rport_start = (int32_t)start;
    f->rport_end = (int32_t)end;
  }
}

// scanParams: `;name[=value]` header parameters filling [start, end), lower-case, no LWS or quotes.
static int scan_params(const Scanner *s, const uint8_t *b, int64_t start, int64_t end, Found *f) {
  f->tag = f->branch = f->received = f->rport_start = -1;
  int64_t i = start;
  while (i < end) {
    if (b[i] != ';') return 0;
    int64_t name = ++i;
    while (i < end && has(s, b[i], s->bits.lower_token)) i++;
    if (i == name) return 0;
    int64_t length = i - name;
    int64_t value = i;
    if (i < end && b[i] == '=') {
      value = ++i;
      while (i < end && has(s, b[i], s->bits.param_value)) i++;
      if (i == value) return 0;
    }
    pick(b, name, length, value, i, f);
  }
  return 1;
}

// scanUriParams: `;name[=value]` uri-parameters from i; where they end, or -1.
static int64_t scan_uri_params(const Scanner *s, const uint8_t *b, int64_t i, int64_t limit) {
  while (i < limit && b[i] == ';') {
    int64_t name = ++i;
    while (i < limit && has(s, b[i], s->bits.uri_param_name)) i++;
    if (i == name) return -1;
    if (i < limit && b[i] == '=') {
      int64_t value = ++i;
      while (i < limit && has(s, b[i], s->bits.uri_param)) i++;
      if (i == value) return -1;
    }
  }
  return i;
}

// scanSipUri: a sip: or sips: URI from start; where it ends, or -1.
static int64_t scan_sip_uri(const Scanner *s, const uint8_t *b, int64_t start, int64_t limit, Found *f) {
  int64_t i = start;
  if (limit - start < 5 || b[i] != 's' || b[i + 1] != 'i' || b[i + 2] != 'p') return -1;
  i += 3;
  f->uri_sips = b[i] == 's';
  if (f->uri_sips) i++;
  if (b[i] != ':') return -1;
  int64_t user = ++i;
  while (i < limit && has(s, b[i], s->bits.user)) i++;
  f->user_start = -1;
  int64_t host = user;
  if (i < limit && b[i] == '@') {
    if (i == user) return -1;
    f->user_start = (int32_t)user;
    f->user_end = (int32_t)i;
    host = i + 1;
  }
  i = host;
  while (i < limit && has(s, b[i], s->bits.host)) i++;
  if (i == host) return -1;
  f->uri_host_start = (int32_t)host;
  f->uri_host_end = (int32_t)i;
  f->uri_port = -1;
  if (i < limit && b[i] == ':') {
    i = fast_port(b, i + 1, limit, &f->uri_port);
    if (i < 0) return -1;
  }
  f->uri_params_start = (int32_t)i;
  return i < limit && b[i] == ';' ? scan_uri_params(s, b, i, limit) : i;
}

// The index of the usual transport at [start, end) in fast-views.ts's TRANSPORTS, or -1.
static int32_t transport_at(const uint8_t *b, int64_t start, int64_t end) {
  const uint8_t *t = b + start;
  switch (end - start) {
    case 3:
      return memcmp(t, "UDP", 3) == 0 ? 0 : memcmp(t, "TCP", 3) == 0 ? 1 : memcmp(t, "TLS", 3) == 0 ? 2 : memcmp(t, "WSS", 3) == 0 ? 4 : -1;
    case 2: return memcmp(t, "WS", 2) == 0 ? 3 : -1;
    case 4: return memcmp(t, "SCTP", 4) == 0 ? 5 : -1;
    default: return -1;
  }
}

// scanVia: `SIP/2.0/UDP host[:port][;params]` at [start, end), rport empty or a port.
static int scan_via(const Scanner *s, const uint8_t *b, int64_t start, int64_t end, Found *f) {
  if (end - start < 13 || memcmp(b + start, "SIP/2.0/", 8) != 0) return 0;
  int64_t i = start + 8;
  while (i < end && b[i] != ' ') i++;
  f->transport = transport_at(b, start + 8, i);
  if (f->transport < 0 || i >= end) return 0;
  int64_t host = ++i;
  while (i < end && has(s, b[i], s->bits.host)) i++;
  if (i == host) return 0;
  f->host_start = (int32_t)host;
  f->host_end = (int32_t)i;
  f->port = -1;
  if (i < end && b[i] == ':') {
    i = fast_port(b, i + 1, end, &f->port);
    if (i < 0) return 0;
  }
  if (i < end && b[i] != ';') return 0;
  f->params_start = (int32_t)i;
  if (!scan_params(s, b, i, end, f)) return 0;
  // RFC 3581: rport without a value asks for one; with one it is a port.
  f->rport = -2;
  if (f->rport_start < 0) return 1;
  if (f->rport_start == f->rport_end) {
    f->rport = -1;
    return 1;
  }
  int32_t port = 0;
  if (fast_port(b, f->rport_start, f->rport_end, &port) != f->rport_end) return 0;
  f->rport = port;
  return 1;
}

// scanNameAddr: `"Name" <sip:...>;params`, `Name <sip:...>;params` or `<sip:...>;params`.
static int scan_name_addr(const Scanner *s, const uint8_t *b, int64_t start, int64_t end, Found *f) {
  int64_t i = start;
  f->display_start = -1;
  if (b[i] == '"') {
    i++;
    while (i < end && b[i] != '"' && b[i] != '\\') i++;
    if (i >= end || b[i] != '"') return 0;
    f->display_start = (int32_t)(start + 1);
    f->display_end = (int32_t)i;
    i++;
    while (i < end && b[i] == ' ') i++;
  } else if (b[i] == ' ') {
    return 0; // as fast-views.ts (never seen here: the scan trims values)
  } else if (b[i] != '<') {
    while (i < end && (has(s, b[i], s->bits.token) || b[i] == ' ')) i++;
    int64_t name_end = i;
    while (name_end > start && b[name_end - 1] == ' ') name_end--;
    if (name_end > start) {
      f->display_start = (int32_t)start;
      f->display_end = (int32_t)name_end;
    }
  }
  if (i >= end || b[i] != '<') return 0;
  int64_t uri_end = scan_sip_uri(s, b, i + 1, end, f);
  if (uri_end < 0 || uri_end >= end || b[uri_end] != '>') return 0;
  f->params_start = (int32_t)(uri_end + 1);
  return scan_params(s, b, uri_end + 1, end, f) && !(f->tag >= 0 && f->tag == f->tag_end);
}

// ---- the essentials checkMessage reads (essentials-scan.ts) --------------------------------

static int32_t *line_at(Scan *sc, int32_t i) { return sc->out + OUT_LINES + LINE_SIZE * i; }

static void save_via(int32_t *r, const Found *f) {
  int32_t v[10] = { f->transport, f->host_start, f->host_end, f->port, f->params_start,
                    f->branch, f->branch_end, f->received, f->received_end, f->rport };
  memcpy(r, v, sizeof v);
}

static void save_name_addr(int32_t *r, const Found *f) {
  int32_t v[12] = { f->display_start, f->display_end, f->params_start, f->tag, f->tag_end,
                    f->uri_sips, f->user_start, f->user_end, f->uri_host_start, f->uri_host_end, f->uri_port, f->uri_params_start };
  memcpy(r, v, sizeof v);
}

static int vias_clean(Scan *sc, int32_t *scans) {
  int32_t count = sc->out[OUT_COUNT];
  int32_t first = sc->first[ROLE_VIA];
  for (int32_t i = first < 0 ? count : first; i < count; i++) {
    if (sc->roles[i] != ROLE_VIA) continue;
    const int32_t *line = line_at(sc, i);
    Found f = { 0 };
    if (!scan_via(sc->s, sc->b, line[3], line[4], &f)) return 0;
    if (i == first) save_via(scans + VIA_SCAN, &f);
  }
  return 1;
}

static int name_addr_clean(Scan *sc, int32_t role, int32_t *r) {
  int32_t i = sc->first[role];
  if (i < 0) return 0;
  const int32_t *line = line_at(sc, i);
  Found f = { 0 };
  if (line[4] == line[3] || !scan_name_addr(sc->s, sc->b, line[3], line[4], &f)) return 0;
  save_name_addr(r, &f);
  return 1;
}

static int call_id_clean(Scan *sc) {
  int32_t i = sc->first[ROLE_CALL_ID];
  if (i < 0) return 0;
  const int32_t *line = line_at(sc, i);
  if (line[4] == line[3]) return 0;
  for (int32_t k = line[3]; k < line[4]; k++) if (sc->b[k] <= 0x20 || sc->b[k] >= 0x7f) return 0;
  return 1;
}

// fastCSeq: `314159 INVITE`; seq -1 when the first CSeq line is not of that shape.
static void scan_cseq(Scan *sc, int32_t *r) {
  r[0] = -1;
  int32_t i = sc->first[ROLE_CSEQ];
  if (i < 0) return;
  const int32_t *line = line_at(sc, i);
  const uint8_t *b = sc->b;
  int64_t k = line[3], end = line[4];
  int64_t seq = 0;
  // Reads at most one digit past the ten allowed, as fast_port does.
  for (; k < end && b[k] >= '0' && b[k] <= '9' && k - line[3] <= 10; k++) seq = seq * 10 + (b[k] - '0');
  if (k == line[3] || k - line[3] > 10 || seq > MAX_CSEQ || b[k] != ' ') return;
  int64_t method = ++k;
  while (k < end && has(sc->s, b[k], sc->s->bits.token)) k++;
  if (k == method || k != end) return;
  r[0] = (int32_t)seq;
  r[1] = (int32_t)method;
  r[2] = (int32_t)end;
}

static int32_t essentials(Scan *sc) {
  int32_t *scans = sc->out + OUT_SCANS;
  // A record the checks leave unwritten (no Via line, a CSeq of another shape) must not show
  // the last message's.
  memset(scans, 0, SCANS_SIZE * sizeof *scans);
  if (!(vias_clean(sc, scans) && name_addr_clean(sc, ROLE_FROM, scans + FROM_SCAN)
        && name_addr_clean(sc, ROLE_TO, scans + TO_SCAN) && call_id_clean(sc))) {
    return 0;
  }
  scan_cseq(sc, scans + CSEQ_SCAN);
  return FLAG_ESSENTIALS;
}

// ---- the head ------------------------------------------------------------------------------

typedef uint8_t Bytes16 __attribute__((vector_size(16)));

// 16 bytes at a time, without an early exit: the common head is ASCII throughout.
static int is_ascii(const uint8_t *b, size_t start, size_t end) {
  Bytes16 any = { 0 };
  size_t i = start;
  for (; i + 16 <= end; i += 16) {
    Bytes16 v;
    memcpy(&v, b + i, 16);
    any |= v;
  }
  uint8_t rest = 0;
  for (; i < end; i++) rest |= b[i];
  for (int k = 0; k < 16; k++) rest |= any[k];
  return (rest & 0x80) == 0;
}

// Content-Length: 1 to 9 digits, the parser's own limit (header-scan.ts); a repeat must agree.
static int content_length(Scan *sc, int64_t start, int64_t end) {
  if (end == start || end - start > 9) return 0;
  int32_t n = 0;
  for (int64_t i = start; i < end; i++) {
    if (sc->b[i] < '0' || sc->b[i] > '9') return 0;
    n = n * 10 + (sc->b[i] - '0');
  }
  if (sc->content_length >= 0 && sc->content_length != n) return 0;
  sc->content_length = n;
  return 1;
}

// What header-scan.ts trims from a value (its TRIM table).
static int is_lws_or_line_end(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int all_token(const Scanner *s, const uint8_t *b, int64_t start, int64_t end) {
  for (int64_t i = start; i < end; i++) if (!s->is_token[b[i]]) return 0;
  return 1;
}

// What the parser notes of each line (header-scan.ts): the first of each view, the last Via,
// the first repeat of a single-value header (RFC 4475 §3.3.8).
static void note_line(Scan *sc, int32_t line, int32_t role, int32_t single) {
  sc->roles[line] = (int8_t)role;
  if (role != ROLE_NONE && sc->first[role] < 0) sc->first[role] = line;
  if (role == ROLE_VIA) sc->last_via = line;
  if ((sc->seen & single) != 0 && sc->duplicate < 0) sc->duplicate = line;
  sc->seen |= single;
}

// One header line at [pos, end): `token LWS* ":" value`; 0 for anything else.
static int header_line(Scan *sc, int64_t pos, int64_t end) {
  const uint8_t *b = sc->b;
  int32_t count = sc->out[OUT_COUNT];
  if (count == MAX_LINES) return 0;
  // The name runs to the colon, LWS before it aside; a listed one is all token chars, so only
  // another name has its chars checked.
  const uint8_t *colon = memchr(b + pos, ':', (size_t)(end - pos));
  if (colon == NULL) return 0;
  int64_t name_end = colon - b;
  while (name_end > pos && (b[name_end - 1] == ' ' || b[name_end - 1] == '\t')) name_end--;
  if (name_end == pos) return 0;
  const Spelling *match;
  int32_t id = name_id(sc->s, b + pos, (size_t)(name_end - pos), sc->length - (size_t)pos, &match);
  if (id < 0 && !all_token(sc->s, b, pos, name_end)) return 0;
  int32_t role = match == NULL ? ROLE_NONE : match->role;
  int64_t start = colon - b + 1, stop = end;
  while (start < stop && is_lws_or_line_end(b[start])) start++;
  while (stop > start && is_lws_or_line_end(b[stop - 1])) stop--;
  if (role == ROLE_CONTENT_LENGTH && !content_length(sc, start, stop)) return 0;
  note_line(sc, count, role, match == NULL ? 0 : match->single);
  int32_t *line = line_at(sc, count);
  line[0] = id;
  line[1] = (int32_t)pos;
  line[2] = (int32_t)name_end;
  line[3] = (int32_t)start;
  line[4] = (int32_t)stop;
  sc->out[OUT_COUNT] = count + 1;
  return 1;
}

// The header lines from pos to the empty line; where that line starts, or -1.
static int64_t header_lines(Scan *sc, int64_t pos) {
  const uint8_t *b = sc->b;
  int64_t length = (int64_t)sc->length;
  for (;;) {
    const uint8_t *nl = memchr(b + pos, '\n', (size_t)(length - pos));
    if (nl == NULL) return -1;
    int64_t end = nl - b;
    // CRLF lines only; a bare LF head is the general parser's.
    if (end == pos || b[end - 1] != '\r') return -1;
    if (end == pos + 1) return pos;
    // §7.3.1 folding is the general parser's too.
    if (end + 1 < length && (b[end + 1] == ' ' || b[end + 1] == '\t')) return -1;
    if (!header_line(sc, pos, end)) return -1;
    pos = end + 1;
  }
}

static int is_sip20(const uint8_t *b, int64_t start, int64_t end) {
  return end - start == 7 && memcmp(b + start, "SIP/2.0", 7) == 0;
}

// Method SP Request-URI SP SIP/2.0 (§25.1), exactly one SP between each.
static int32_t request_line(Scan *sc, int64_t start, int64_t end) {
  const uint8_t *b = sc->b;
  int64_t sp1 = start;
  while (sp1 < end && sc->s->is_token[b[sp1]]) sp1++;
  int64_t sp2 = sp1 + 1;
  while (sp2 < end && b[sp2] != ' ') sp2++;
  if (!(sp1 > start && b[sp1] == ' ' && sp2 > sp1 + 1 && sp2 < end && is_sip20(b, sp2 + 1, end))) return KIND_NONE;
  sc->out[OUT_LINE_A] = (int32_t)sp1;
  sc->out[OUT_LINE_B] = (int32_t)sp2;
  Found f = { 0 };
  if (scan_sip_uri(sc->s, b, sp1 + 1, sp2, &f) == sp2) sc->out[OUT_FLAGS] |= FLAG_REQUEST_URI;
  return KIND_REQUEST;
}

// SIP/2.0 SP Status-Code [SP Reason-Phrase] (§25.1), a status of 100 to 699 (§7.2).
static int32_t status_line(Scan *sc, int64_t start, int64_t end) {
  const uint8_t *b = sc->b;
  int64_t sp1 = start + 7;
  if (sp1 + 4 > end || !is_sip20(b, start, sp1) || b[sp1] != ' ') return KIND_NONE;
  int32_t status = 0;
  for (int64_t i = sp1 + 1; i < sp1 + 4; i++) {
    if (b[i] < '0' || b[i] > '9') return KIND_NONE;
    status = status * 10 + (b[i] - '0');
  }
  if (status < 100 || status > 699 || (sp1 + 4 < end && b[sp1 + 4] != ' ')) return KIND_NONE;
  sc->out[OUT_LINE_A] = status;
  sc->out[OUT_LINE_B] = sp1 + 5 <= end ? (int32_t)(sp1 + 5) : -1;
  return KIND_RESPONSE;
}

static int32_t scan_message(Scan *sc) {
  const uint8_t *b = sc->b;
  int64_t length = (int64_t)sc->length;
  int64_t start = 0;
  while (start < length && (b[start] == '\r' || b[start] == '\n')) start++;
  const uint8_t *nl = start < length ? memchr(b + start, '\n', (size_t)(length - start)) : NULL;
  if (nl == NULL) return KIND_NONE;
  int64_t first_end = nl - b;
  // b[start] is neither CR nor LF, so a CRLF start line has first_end >= start + 2.
  if (b[first_end - 1] != '\r' || first_end + 1 >= length) return KIND_NONE;
  if (b[first_end + 1] == ' ' || b[first_end + 1] == '\t') return KIND_NONE;
  int32_t *out = sc->out;
  out[OUT_COUNT] = 0;
  out[OUT_FLAGS] = 0;
  int64_t head_end = header_lines(sc, first_end + 1);
  if (head_end < 0 || !is_ascii(b, 0, (size_t)head_end)) return KIND_NONE;
  int64_t line_end = first_end - 1;
  // §7.1: the version is case-insensitive, and a method cannot hold '/': "sip/" starts a response.
  // The start line holds at least its first byte and CR, and the LF follows, so start + 3 is read.
  int response = fold(b[start]) == 's' && fold(b[start + 1]) == 'i' && fold(b[start + 2]) == 'p' && b[start + 3] == '/';
  int32_t kind = response ? status_line(sc, start, line_end) : request_line(sc, start, line_end);
  if (kind == KIND_NONE) return KIND_NONE;
  out[OUT_START] = (int32_t)start;
  out[OUT_FIRST_END] = (int32_t)first_end;
  out[OUT_HEAD_END] = (int32_t)head_end;
  out[OUT_CONTENT_LENGTH] = sc->content_length;
  for (int32_t role = ROLE_VIA; role <= ROLE_CSEQ; role++) out[OUT_FIRST_VIEWS + role - ROLE_VIA] = sc->first[role];
  out[OUT_LAST_VIA] = sc->last_via;
  out[OUT_DUPLICATE] = sc->duplicate;
  out[OUT_FLAGS] |= essentials(sc);
  return kind;
}

// ---- the calls ------------------------------------------------------------------------------

void scanner_clear(Scanner *s) {
  memset(s, 0, sizeof *s);
  memset(s->buckets, 0xff, sizeof s->buckets);
}

// A spelling too long for the table keeps its id but is never found here: the TypeScript side
// then resolves it by name. It cannot be one whose role the scan needs.
int scanner_add_spelling(Scanner *s, const char *name, size_t length, int32_t role, int32_t single) {
  if (s->count == MAX_SPELLINGS || length == 0 || role < 0 || role >= ROLES) return 0;
  if (length > MAX_NAME) return role == ROLE_NONE && single == 0 ? (s->count++, 1) : 0;
  Spelling *e = &s->spellings[s->count];
  memcpy(e->bytes, name, length);
  e->length = (uint8_t)length;
  e->role = role;
  e->single = single;
  e->word = first_word(e->bytes, length, length);
  e->folded = fold_word(e->word, length);
  uint32_t bucket = bucket_of(e->folded, length);
  e->next = s->buckets[bucket];
  s->buckets[bucket] = s->count++;
  return 1;
}

int32_t scanner_scan(const Scanner *s, const uint8_t *b, size_t length) {
  Scan sc;
  sc.s = s;
  sc.b = b;
  sc.length = length;
  sc.out = s->out;
  sc.content_length = -1;
  sc.last_via = -1;
  sc.seen = 0;
  sc.duplicate = -1;
  for (int r = 0; r < ROLES; r++) sc.first[r] = -1;
  int32_t kind = scan_message(&sc);
  s->out[OUT_KIND] = kind;
  return kind;
}

int32_t scanner_transport(const uint8_t *name, size_t length) {
  return transport_at(name, 0, (int64_t)length);
}
