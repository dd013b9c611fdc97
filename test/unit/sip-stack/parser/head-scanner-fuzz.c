// Fuzzes the SIP parser's head scanner (sip-stack/native/head-scanner.c) outside Node, built with
// AddressSanitizer and UndefinedBehaviorSanitizer by head-scanner-fuzz.test.ts: every input sits
// in a block of exactly its size, so a read one byte past the end stops the run, and every scan
// the scanner takes is checked for what native-head.ts relies on. tables.h holds the tables the
// TypeScript parser gives the scanner (SP, RO, SI, BC, TK, BITS), written by the test.
// Usage: head-scanner-fuzz <seed dir> <mutations> <random seed>
#include "head-scanner.h"
#include "tables.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Scanner scanner;
static int32_t out[OUT_SIZE];
static const int32_t UNWRITTEN = 0x7f7f7f7f;
static const int32_t SPELLINGS = (int32_t)(sizeof SP / sizeof *SP);
static long inputs, taken, essentials, failures;

static void report(const uint8_t *b, size_t n, const char *why) {
  if (++failures > 10) return;
  fprintf(stderr, "%s, input of %zu bytes: \"", why, n);
  for (size_t i = 0; i < n && i < 600; i++) {
    uint8_t c = b[i];
    if (c == '\\' || c == '"') fprintf(stderr, "\\%c", c);
    else if (c >= 0x20 && c < 0x7f) fputc(c, stderr);
    else fprintf(stderr, "\\x%02x", c);
  }
  fprintf(stderr, "\"\n");
}

#define EXPECT(cond, why) do { if (!(cond)) { report(b, n, why); return; } } while (0)

// The lines: consecutive, each a token name before its value, the listed id right.
static void check_lines(const uint8_t *b, size_t n) {
  int32_t count = out[OUT_COUNT], head_end = out[OUT_HEAD_END], prev = out[OUT_FIRST_END];
  EXPECT(count >= 0 && count <= MAX_LINES, "line count");
  for (int32_t i = 0; i < count; i++) {
    const int32_t *l = out + OUT_LINES + LINE_SIZE * i;
    EXPECT(l[0] >= NAME_OTHER_CASE && l[0] < SPELLINGS, "name id");
    EXPECT(l[1] == prev + 1 && l[1] < l[2] && l[2] <= l[3] && l[3] <= l[4] && l[4] < head_end, "line offsets");
    for (int32_t k = l[1]; k < l[2]; k++) EXPECT(TK[b[k]], "a name char that is not a token char");
    if (l[0] >= 0) EXPECT((size_t)(l[2] - l[1]) == strlen(SP[l[0]]) && memcmp(b + l[1], SP[l[0]], (size_t)(l[2] - l[1])) == 0, "listed id");
    const uint8_t *nl = memchr(b + l[1], '\n', (size_t)(head_end - l[1]));
    EXPECT(nl != NULL, "a line without its end");
    prev = (int32_t)(nl - b);
  }
  EXPECT(prev + 1 == head_end, "lines that do not reach the empty line");
  for (int k = OUT_FIRST_VIEWS; k <= OUT_DUPLICATE; k++) EXPECT(out[k] >= -1 && out[k] < count, "a noted line out of range");
}

// What native-head.ts reads of a scan that took the message: written, and in range.
static void check(const uint8_t *b, size_t n, int32_t kind) {
  for (int k = 0; k < OUT_SCANS; k++) EXPECT(out[k] != UNWRITTEN, "an unwritten field");
  EXPECT(out[OUT_KIND] == kind, "kind");
  int32_t start = out[OUT_START], first_end = out[OUT_FIRST_END], head_end = out[OUT_HEAD_END];
  EXPECT(0 <= start && start < first_end && first_end < head_end && (size_t)head_end + 2 <= n, "frame offsets");
  EXPECT(b[first_end - 1] == '\r' && b[head_end] == '\r' && b[head_end + 1] == '\n', "line ends");
  for (int32_t i = 0; i < head_end; i++) EXPECT(b[i] < 0x80, "a non-ASCII head taken");
  EXPECT(out[OUT_CONTENT_LENGTH] >= -1 && out[OUT_CONTENT_LENGTH] <= 999999999, "Content-Length");
  EXPECT((out[OUT_FLAGS] & ~(FLAG_ESSENTIALS | FLAG_REQUEST_URI)) == 0, "flags");
  if (kind == KIND_REQUEST) {
    EXPECT(out[OUT_LINE_A] > start && out[OUT_LINE_B] > out[OUT_LINE_A] + 1 && out[OUT_LINE_B] + 8 == first_end - 1, "request line");
  } else {
    EXPECT(out[OUT_LINE_A] >= 100 && out[OUT_LINE_A] <= 699, "status");
    EXPECT(out[OUT_LINE_B] == -1 || out[OUT_LINE_B] == start + 12, "reason");
  }
  for (int k = OUT_SCANS; k < OUT_SCANS + SCANS_SIZE; k++) EXPECT(out[k] != UNWRITTEN, "an unwritten scan");
  check_lines(b, n);
}

static void run(const uint8_t *data, size_t n) {
  uint8_t *b = n == 0 ? NULL : malloc(n);
  if (n != 0) memcpy(b, data, n);
  for (int k = 0; k < OUT_SIZE; k++) out[k] = UNWRITTEN;
  int32_t kind = scanner_scan(&scanner, b, n);
  inputs++;
  if (kind != KIND_NONE) {
    taken++;
    if (out[OUT_FLAGS] & FLAG_ESSENTIALS) essentials++;
    check(b, n, kind);
  }
  free(b);
}

// ---- inputs -------------------------------------------------------------------------------

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}
static size_t below(size_t n) { return n == 0 ? 0 : (size_t)(next() % n); }

static const char *const INSERTS[] = { "\r", "\n", ":", ";", " ", "\t", "\"", "<", ">", "@", "\x80", "\xff", "\r\n", "\r\n\r\n",
  "\r\n ", "=", ",", "\\", "%", "0", "99999", "sip:", "sips:", "SIP/2.0", "SIP/2.0/UDP ", ";rport", ";rport=", ";tag=", ";branch=",
  "Content-Length: ", "l: 0\r\n", "Via: ", "v: ", "From: ", "To: ", "Call-ID: ", "CSeq: ", "CONTENT-LENGTH:", "0000000000",
  "2147483648", "65536", "<sip:a@b>", "\"\"", "A", "-", "\x7f", "\x01" };

static size_t insert(uint8_t *buf, size_t n, size_t cap, const uint8_t *piece, size_t len) {
  if (n + len > cap) return n;
  size_t at = below(n + 1);
  memmove(buf + at + len, buf + at, n - at);
  memcpy(buf + at, piece, len);
  return n + len;
}

// A line of the input again, right after itself (a repeated header).
static size_t repeat_line(uint8_t *buf, size_t n, size_t cap) {
  size_t a = below(n);
  while (a > 0 && buf[a - 1] != '\n') a--;
  uint8_t *e = memchr(buf + a, '\n', n - a);
  if (e == NULL) return n;
  size_t len = (size_t)(e - buf) + 1 - a, at = a + len;
  if (n + len > cap) return n;
  memmove(buf + at + len, buf + at, n - at);
  memcpy(buf + at, buf + a, len);
  return n + len;
}

static size_t mutate(uint8_t *buf, size_t n, size_t cap) {
  for (int ops = 1 + (int)below(4); ops > 0 && n > 0; ops--) {
    switch (below(8)) {
      case 0: buf[below(n)] ^= (uint8_t)(1u << below(8)); break;
      case 1: buf[below(n)] = (uint8_t)next(); break;
      case 2: case 3: {
        const char *piece = INSERTS[below(sizeof INSERTS / sizeof *INSERTS)];
        n = insert(buf, n, cap, (const uint8_t *)piece, strlen(piece));
        break;
      }
      case 4: {
        size_t at = below(n), len = 1 + below(16);
        if (at + len > n) len = n - at;
        memmove(buf + at, buf + at + len, n - at - len);
        n -= len;
        break;
      }
      case 5: buf[below(n)] ^= 0x20; break;
      case 6: n = repeat_line(buf, n, cap); break;
      default: { // cut right after a colon or a line end, or a byte or two later
        size_t i = below(n);
        uint8_t *c = memchr(buf + i, below(2) ? ':' : '\n', n - i);
        if (c != NULL && (size_t)(c - buf) + 3 <= n) n = (size_t)(c - buf) + below(3);
        break;
      }
    }
  }
  return n;
}

typedef struct {
  uint8_t *b;
  size_t n;
} Seed;

static Seed seeds[512];
static int seed_count;

static void load_seeds(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  for (struct dirent *e; (e = readdir(d)) != NULL && seed_count < 512;) {
    if (e->d_name[0] == '.') continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) continue;
    static uint8_t tmp[1 << 16];
    size_t n = fread(tmp, 1, sizeof tmp, f);
    fclose(f);
    seeds[seed_count].b = malloc(n + 1);
    memcpy(seeds[seed_count].b, tmp, n);
    seeds[seed_count++].n = n;
  }
  closedir(d);
}

static void init_scanner(void) {
  scanner_clear(&scanner);
  for (int32_t k = 0; k < SPELLINGS; k++) {
    if (!scanner_add_spelling(&scanner, SP[k], strlen(SP[k]), RO[k], SI[k])) {
      fprintf(stderr, "spelling %d refused\n", k);
      exit(2);
    }
  }
  memcpy(scanner.byte_class, BC, 256);
  memcpy(scanner.is_token, TK, 256);
  scanner.bits = (ClassBits){ BITS[0], BITS[1], BITS[2], BITS[3], BITS[4], BITS[5], BITS[6] };
  scanner.out = out;
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  init_scanner();
  load_seeds(argv[1]);
  long mutations = atol(argv[2]);
  state ^= (uint64_t)atol(argv[3]) * 0x2545F4914F6CDD1Dull;
  // Every seed cut at every length, then mutants, now and then cut at every length too.
  for (int s = 0; s < seed_count; s++) for (size_t n = 0; n <= seeds[s].n; n++) run(seeds[s].b, n);
  static uint8_t buf[1 << 17];
  for (long i = 0; i < mutations && seed_count > 0; i++) {
    const Seed *seed = &seeds[below((size_t)seed_count)];
    memcpy(buf, seed->b, seed->n);
    size_t n = mutate(buf, seed->n, sizeof buf);
    run(buf, n);
    if (below(64) == 0) for (size_t k = 0; k < n; k++) run(buf, k);
  }
  printf("seeds %d, inputs %ld, taken %ld, with the check scans %ld, failures %ld\n", seed_count, inputs, taken, essentials, failures);
  return failures == 0 ? 0 : 1;
}
