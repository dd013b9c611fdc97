// The SIP parser's head scanner (head-scanner.c): the layout of what it writes, its tables, and
// the three calls the N-API glue (scanner-addon.c) and the fuzz test make of it.
#ifndef HEAD_SCANNER_H
#define HEAD_SCANNER_H
#include <stddef.h>
#include <stdint.h>

// The layout of the output array; native-head.ts reads the same offsets.
enum {
  OUT_START = 0,          // the start line's first byte (CRLFs before it skipped, RFC 3261 §7.5)
  OUT_FIRST_END = 1,      // the LF that ends the start line
  OUT_HEAD_END = 2,       // the CR of the empty line that ends the head
  OUT_CONTENT_LENGTH = 3, // -1 when absent
  OUT_LINE_A = 4,         // request: the SP after the method; response: the status code
  OUT_LINE_B = 5,         // request: the SP after the Request-URI; response: where the reason starts, -1 none
  OUT_COUNT = 6,          // header lines
  OUT_FLAGS = 7,
  OUT_SCANS = 8,          // SCANS_SIZE entries, as essentials-scan.ts lays them out
  SCANS_SIZE = 37,
  OUT_FIRST_VIEWS = 45,   // per view slot 1 to 5, its first line, -1 none (ParsedHead.first)
  OUT_LAST_VIA = 50,      // the last Via line, -1 none
  OUT_DUPLICATE = 51,     // the first line repeating a single-value header, -1 none
  OUT_KIND = 52,          // KIND_REQUEST or KIND_RESPONSE
  OUT_LINES = 56,         // LINE_SIZE entries per header line
  LINE_SIZE = 5,          // name id, name start, name end, value start, value end
  MAX_LINES = 256,
  OUT_SIZE = OUT_LINES + LINE_SIZE * MAX_LINES,
};

enum { FLAG_ESSENTIALS = 1, FLAG_REQUEST_URI = 2 };
enum { KIND_NONE = 0, KIND_REQUEST = 1, KIND_RESPONSE = 2 };
// Roles of header names: the view slots of header-name.ts, and Content-Length.
enum { ROLE_NONE = 0, ROLE_VIA = 1, ROLE_FROM = 2, ROLE_TO = 3, ROLE_CALL_ID = 4, ROLE_CSEQ = 5, ROLE_CONTENT_LENGTH = 6 };
enum { ROLES = 7 };
// Where essentials-scan.ts keeps each scan in the scans record.
enum { VIA_SCAN = 0, FROM_SCAN = 10, TO_SCAN = 22, CSEQ_SCAN = 34 };
// The id of a name that is a listed one in another case: the TypeScript side respells it.
enum { NAME_OTHER_CASE = -2, NAME_UNLISTED = -1 };

#define MAX_NAME 32
#define MAX_SPELLINGS 256
#define BUCKETS 256

typedef struct {
  uint64_t word;   // the first 8 bytes, zero past the end (first_word)
  uint64_t folded; // the same with every byte | 0x20
  uint8_t bytes[MAX_NAME + 8];
  uint8_t length;
  int32_t role;
  int32_t single; // the single-value bit of its header (header-name.ts), 0 for a list header
  int32_t next;   // the next spelling in the same bucket, or -1
} Spelling;

// The byte-class bits of fast-params.ts, in the order init() receives them.
typedef struct {
  uint8_t token, lower_token, host, user, uri_param, uri_param_name, param_value;
} ClassBits;

typedef struct {
  Spelling spellings[MAX_SPELLINGS];
  int32_t buckets[BUCKETS];
  int32_t count;
  uint8_t byte_class[256];
  uint8_t is_token[256];
  ClassBits bits;
  int32_t *out; // OUT_SIZE entries, where every scan writes
} Scanner;

// An empty scanner: no spellings yet; the caller then fills byte_class, is_token, bits and out.
void scanner_clear(Scanner *s);
// Adds the next spelling (ids count up from 0); 0 when it cannot be held.
int scanner_add_spelling(Scanner *s, const char *name, size_t length, int32_t role, int32_t single);
// Scans one message into s->out; KIND_REQUEST or KIND_RESPONSE when it took it, else KIND_NONE.
int32_t scanner_scan(const Scanner *s, const uint8_t *b, size_t length);
// The number a Via scan gives the transport `name` (its index in fast-views.ts's TRANSPORTS), or
// -1; it knows TRANSPORT_COUNT of them.
int32_t scanner_transport(const uint8_t *name, size_t length);
enum { TRANSPORT_COUNT = 6 };

#endif
