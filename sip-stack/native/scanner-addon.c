// N-API glue of the SIP parser's head scanner (head-scanner.c): init() takes the TypeScript
// parser's tables (parser/native-head.ts) and checks they fit; scan() runs the scanner on a
// Buffer and returns the head's text when it took the message.
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include "head-scanner.h"

// One per Node environment: the scanner and a reference that keeps its output array alive.
typedef struct {
  Scanner scanner;
  napi_ref out_ref;
} Instance;

static napi_value undefined_value(napi_env env) {
  napi_value v;
  return napi_get_undefined(env, &v) == napi_ok ? v : NULL;
}

// scan(buf): the head's text, bytes [0, head end) as a one-byte string, when the scanner took
// the message (its kind and offsets are then in the output array); else undefined. Making the
// string here saves the parser a second call into native code to decode it.
static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Instance *instance;
  void *data;
  size_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return undefined_value(env);
  if (napi_get_instance_data(env, (void **)&instance) != napi_ok || instance == NULL) return undefined_value(env);
  // Offsets are written as int32; no SIP message comes near this.
  if (napi_get_buffer_info(env, argv[0], &data, &length) != napi_ok || length > INT32_MAX / 2) return undefined_value(env);
  const Scanner *s = &instance->scanner;
  napi_value text;
  if (scanner_scan(s, data, length) == KIND_NONE || napi_create_string_latin1(env, data, (size_t)s->out[OUT_HEAD_END], &text) != napi_ok) {
    return undefined_value(env);
  }
  return text;
}

// The typed array `object[name]` (into *value when asked), its data and element count.
static int typed_value(napi_env env, napi_value object, const char *name, napi_typedarray_type want, void **data, size_t *length, napi_value *value) {
  napi_value v;
  napi_typedarray_type type;
  if (value == NULL) value = &v;
  return napi_get_named_property(env, object, name, value) == napi_ok
    && napi_get_typedarray_info(env, *value, &type, length, data, NULL, NULL) == napi_ok && type == want;
}

static int typed(napi_env env, napi_value object, const char *name, napi_typedarray_type want, void **data, size_t *length) {
  return typed_value(env, object, name, want, data, length, NULL);
}

// The i-th string of a JavaScript array into `text` (up to `size` - 1 chars); its full length.
static int string_at(napi_env env, napi_value list, uint32_t i, char *text, size_t size, size_t *length) {
  napi_value item;
  if (napi_get_element(env, list, i, &item) != napi_ok) return 0;
  // Asked for its length first, so that a long string is known as such and not cut short.
  if (napi_get_value_string_latin1(env, item, NULL, 0, length) != napi_ok) return 0;
  return *length >= size || napi_get_value_string_latin1(env, item, text, size, length) == napi_ok;
}

static int read_spellings(napi_env env, Scanner *s, napi_value tables) {
  napi_value list;
  int32_t *roles, *singles;
  size_t role_count, single_count;
  uint32_t n;
  if (napi_get_named_property(env, tables, "spellings", &list) != napi_ok || napi_get_array_length(env, list, &n) != napi_ok) return 0;
  if (!typed(env, tables, "roles", napi_int32_array, (void **)&roles, &role_count) || n != role_count) return 0;
  if (!typed(env, tables, "singles", napi_int32_array, (void **)&singles, &single_count) || n != single_count) return 0;
  for (uint32_t k = 0; k < n; k++) {
    char name[MAX_NAME + 1];
    size_t length;
    if (!string_at(env, list, k, name, sizeof name, &length) || !scanner_add_spelling(s, name, length, roles[k], singles[k])) return 0;
  }
  return 1;
}

// The scanner knows the transports fast-views.ts's TRANSPORTS lists, and numbers them alike.
static int same_transports(napi_env env, napi_value tables) {
  napi_value list;
  uint32_t n;
  if (napi_get_named_property(env, tables, "transports", &list) != napi_ok || napi_get_array_length(env, list, &n) != napi_ok) return 0;
  if (n != TRANSPORT_COUNT) return 0;
  for (uint32_t k = 0; k < n; k++) {
    char name[8];
    size_t length;
    if (!string_at(env, list, k, name, sizeof name, &length) || length >= sizeof name) return 0;
    if (scanner_transport((const uint8_t *)name, length) != (int32_t)k) return 0;
  }
  return 1;
}

// The offsets both sides must agree on, as native-head.ts lists them.
static int same_layout(napi_env env, napi_value tables) {
  static const int32_t expected[] = { OUT_SCANS, SCANS_SIZE, OUT_FIRST_VIEWS, OUT_LAST_VIA, OUT_DUPLICATE, OUT_KIND, OUT_LINES, LINE_SIZE, MAX_LINES, OUT_SIZE, VIA_SCAN, FROM_SCAN, TO_SCAN,
    CSEQ_SCAN, ROLE_VIA, ROLE_FROM, ROLE_TO, ROLE_CALL_ID, ROLE_CSEQ, ROLE_CONTENT_LENGTH };
  int32_t *layout;
  size_t n;
  return typed(env, tables, "layout", napi_int32_array, (void **)&layout, &n) && n == sizeof expected / sizeof *expected
    && memcmp(layout, expected, sizeof expected) == 0;
}

static int read_classes(napi_env env, Scanner *s, napi_value tables) {
  uint8_t *classes, *token;
  int32_t *bits;
  size_t class_count, bit_count, token_count;
  if (!typed(env, tables, "byteClass", napi_uint8_array, (void **)&classes, &class_count) || class_count != 256) return 0;
  if (!typed(env, tables, "bits", napi_int32_array, (void **)&bits, &bit_count) || bit_count != 7) return 0;
  if (!typed(env, tables, "token", napi_uint8_array, (void **)&token, &token_count) || token_count != 256) return 0;
  memcpy(s->byte_class, classes, 256);
  memcpy(s->is_token, token, 256);
  s->bits = (ClassBits){ (uint8_t)bits[0], (uint8_t)bits[1], (uint8_t)bits[2], (uint8_t)bits[3], (uint8_t)bits[4], (uint8_t)bits[5], (uint8_t)bits[6] };
  return 1;
}

// The output array, held by a reference so that its memory stays where the scanner writes.
static int hold_output(napi_env env, Instance *instance, napi_value tables) {
  napi_value out;
  size_t n;
  void *data;
  if (!typed_value(env, tables, "out", napi_int32_array, &data, &n, &out) || n < OUT_SIZE) return 0;
  instance->scanner.out = data;
  return napi_create_reference(env, out, 1, &instance->out_ref) == napi_ok;
}

static void free_instance(napi_env env, void *data, void *hint) {
  Instance *instance = data;
  if (instance->out_ref != NULL) napi_delete_reference(env, instance->out_ref);
  free(instance);
}

// N-API does not finalise data it replaces, so the old instance is freed here, once replaced.
static int replace_instance(napi_env env, Instance *instance) {
  Instance *old = NULL;
  if (napi_get_instance_data(env, (void **)&old) != napi_ok || napi_set_instance_data(env, instance, free_instance, NULL) != napi_ok) return 0;
  if (old != NULL) free_instance(env, old, NULL);
  return 1;
}

// init({ spellings, roles, singles, byteClass, bits, token, transports, layout, out }): the tables of
// the TypeScript parser; throws when they do not fit this scanner, which then stays unused.
static napi_value init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value tables;
  Instance *instance = calloc(1, sizeof *instance);
  if (instance != NULL) scanner_clear(&instance->scanner);
  Scanner *s = instance == NULL ? NULL : &instance->scanner;
  if (s == NULL || napi_get_cb_info(env, info, &argc, &tables, NULL, NULL) != napi_ok || argc < 1 || !same_layout(env, tables)
      || !same_transports(env, tables) || !read_spellings(env, s, tables) || !read_classes(env, s, tables) || !hold_output(env, instance, tables)
      || !replace_instance(env, instance)) {
    if (instance != NULL) free_instance(env, instance, NULL);
    napi_throw_error(env, NULL, "sip-scanner: the parser's tables do not fit this scanner");
    return NULL;
  }
  napi_value size;
  return napi_create_int32(env, OUT_SIZE, &size) == napi_ok ? size : NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
    { "init", NULL, init, NULL, NULL, NULL, napi_default, NULL },
    { "scan", NULL, scan, NULL, NULL, NULL, napi_default, NULL },
  };
  return napi_define_properties(env, exports, sizeof props / sizeof *props, props) == napi_ok ? exports : NULL;
}
