/*
 * The relay's native forwarding plane: UDP sockets read by one thread of their own, which sends
 * the RTP of an established stream straight on to the peer's phone without waking JavaScript.
 * Everything else (packets before a route exists, RTCP, telephone events, strangers) is handed to
 * the JavaScript relay, which decides as it always does and installs the route when it forwards.
 *
 * Locking: one mutex guards the socket table, taken by the thread while it handles a batch of
 * readiness events and by every call from JavaScript that changes a socket.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DATAGRAM 65536
#define BATCH_EVENTS 256
/* Datagrams read per readiness event. One: a phone's socket rarely holds two (50 packets/s), so a
   second read would mostly be a wasted syscall; epoll is level-triggered and reports a socket
   that still holds more at the next wait. */
#define READS_PER_EVENT 1
/* Slow-path datagrams waiting for JavaScript; past this they are dropped (a flood must not grow memory). */
#define MAX_PENDING 8192
#define NO_PT (-1)
/* JavaScript names a socket by a handle: its slot plus its generation times this, so a handle
   outlives nothing: once the slot is reused, the old handle names no socket. */
#define SLOT_LIMIT 1048576.0

/* RFC 3550 Appendix A.1 defaults, as media-relay/rtp/sequence-tracker.ts. */
#define SEQ_MOD 0x10000
#define MAX_DROPOUT 3000
#define MAX_MISORDER 100

typedef struct {
  int started;
  uint32_t ssrc;
  int base, max, bad;
  int64_t cycles, received, lost_before;
} tracker_t;

/* An IPv4 or IPv6 address and port: 28 bytes, where sockaddr_storage would take 128 a copy. */
typedef union {
  struct sockaddr sa;
  struct sockaddr_in v4;
  struct sockaddr_in6 v6;
} socket_address_t;

typedef struct {
  socket_address_t addr;
  socklen_t len;
} endpoint_t;

typedef struct {
  int fd; /* -1 while the slot is free */
  uint32_t gen;
  int connected;
  endpoint_t peer;
  int routed;
  endpoint_t src;
  uint32_t out_id, out_gen;
  endpoint_t dst;
  int divert[2];
  double packets, bytes;
  int64_t last_ms;
  tracker_t seq;
} slot_t;

typedef struct {
  uint32_t id, gen;
  endpoint_t from;
  size_t len;
  unsigned char data[];
} pending_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot_t *slots = NULL;
static uint32_t slot_count = 0;
static uint32_t open_count = 0;
/* Free slots, most recently freed last: binding takes one without searching the table. */
static uint32_t *free_ids = NULL;
static uint32_t free_count = 0;
static int epfd = -1;
static pthread_t thread;
static napi_threadsafe_function deliver = NULL;
/* The environment whose relay owns the forwarder: one per process (worker threads get none). */
static napi_env owner = NULL;
static atomic_int pending = 0;
static atomic_uint_fast64_t overflow = 0;
static unsigned char buffer[MAX_DATAGRAM];

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- RFC 3550 A.1 loss count ----------------------------------------------------------------- */

static int64_t tracker_current_lost(const tracker_t *t) {
  if (!t->started) return 0;
  int64_t expected = t->cycles + t->max - t->base + 1;
  int64_t lost = expected - t->received;
  return lost > 0 ? lost : 0;
}

static void tracker_restart(tracker_t *t, uint32_t ssrc, int seq) {
  t->lost_before += tracker_current_lost(t);
  t->started = 1;
  t->ssrc = ssrc;
  t->base = t->max = seq;
  t->cycles = 0;
  t->received = 1;
  t->bad = -1;
}

static void tracker_update(tracker_t *t, uint32_t ssrc, int seq) {
  if (!t->started || ssrc != t->ssrc) {
    tracker_restart(t, ssrc, seq);
    return;
  }
  int forward = (seq - t->max) & 0xffff;
  if (forward < MAX_DROPOUT) {
    if (seq < t->max) t->cycles += SEQ_MOD;
    t->max = seq;
  } else if (forward <= SEQ_MOD - MAX_MISORDER) {
    if (seq != t->bad) {
      t->bad = (seq + 1) & 0xffff;
      return;
    }
    tracker_restart(t, ssrc, seq);
    return;
  }
  t->received++;
}

/* ---- addresses ------------------------------------------------------------------------------- */

static int endpoint_of(const char *address, int port, endpoint_t *out) {
  memset(out, 0, sizeof(*out));
  struct sockaddr_in *v4 = &out->addr.v4;
  struct sockaddr_in6 *v6 = &out->addr.v6;
  if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    out->len = sizeof(*v4);
    return 0;
  }
  if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    out->len = sizeof(*v6);
    return 0;
  }
  return -EINVAL;
}

static int same_endpoint(const endpoint_t *a, const endpoint_t *b) {
  if (a->addr.sa.sa_family != b->addr.sa.sa_family) return 0;
  if (a->addr.sa.sa_family == AF_INET) {
    return a->addr.v4.sin_port == b->addr.v4.sin_port && a->addr.v4.sin_addr.s_addr == b->addr.v4.sin_addr.s_addr;
  }
  return a->addr.v6.sin6_port == b->addr.v6.sin6_port && memcmp(&a->addr.v6.sin6_addr, &b->addr.v6.sin6_addr, sizeof(struct in6_addr)) == 0;
}

static void endpoint_text(const endpoint_t *e, char *text, size_t size, int *port) {
  if (e->addr.sa.sa_family == AF_INET) {
    inet_ntop(AF_INET, &e->addr.v4.sin_addr, text, size);
    *port = ntohs(e->addr.v4.sin_port);
  } else {
    inet_ntop(AF_INET6, &e->addr.v6.sin6_addr, text, size);
    *port = ntohs(e->addr.v6.sin6_port);
  }
}

/* ---- the forwarding thread ------------------------------------------------------------------- */

static slot_t *live_slot(uint32_t id, uint32_t gen) {
  if (id >= slot_count || slots[id].fd < 0 || slots[id].gen != gen) return NULL;
  return &slots[id];
}

static double handle_of(uint32_t id, uint32_t gen) {
  return (double)gen * SLOT_LIMIT + id;
}

/* RTP by the RFC 5761 §4 test the JavaScript demux applies: version 2, payload type outside 64-95. */
static int rtp_payload_type(const unsigned char *p, ssize_t n) {
  if (n < 12 || (p[0] >> 6) != 2) return NO_PT;
  int pt = p[1] & 0x7f;
  return pt >= 64 && pt <= 95 ? NO_PT : pt;
}

/* Sends a routed packet on; 0 when the route no longer holds and JavaScript must decide. */
static int forward(slot_t *s, const unsigned char *p, ssize_t n) {
  slot_t *out = live_slot(s->out_id, s->out_gen);
  if (out == NULL) return 0;
  if (out->connected) {
    if (!same_endpoint(&out->peer, &s->dst)) return 0;
    send(out->fd, p, (size_t)n, MSG_DONTWAIT);
  } else {
    sendto(out->fd, p, (size_t)n, MSG_DONTWAIT, &s->dst.addr.sa, s->dst.len);
  }
  return 1;
}

static int try_fast_path(slot_t *s, const unsigned char *p, ssize_t n, const endpoint_t *from) {
  if (!s->routed || !same_endpoint(from, &s->src)) return 0;
  int pt = rtp_payload_type(p, n);
  if (pt == NO_PT || pt == s->divert[0] || pt == s->divert[1]) return 0;
  if (!forward(s, p, n)) {
    s->routed = 0;
    return 0;
  }
  s->packets += 1;
  s->bytes += (double)n;
  s->last_ms = now_ms();
  uint32_t ssrc = ((uint32_t)p[8] << 24) | ((uint32_t)p[9] << 16) | ((uint32_t)p[10] << 8) | p[11];
  tracker_update(&s->seq, ssrc, (p[2] << 8) | p[3]);
  return 1;
}

static void hand_to_javascript(uint32_t id, uint32_t gen, const unsigned char *p, ssize_t n, const endpoint_t *from) {
  if (atomic_fetch_add(&pending, 1) >= MAX_PENDING) {
    atomic_fetch_sub(&pending, 1);
    atomic_fetch_add(&overflow, 1);
    return;
  }
  pending_t *item = malloc(sizeof(pending_t) + (size_t)n);
  if (item == NULL) {
    atomic_fetch_sub(&pending, 1);
    atomic_fetch_add(&overflow, 1);
    return;
  }
  item->id = id;
  item->gen = gen;
  item->from = *from;
  item->len = (size_t)n;
  memcpy(item->data, p, (size_t)n);
  if (napi_call_threadsafe_function(deliver, item, napi_tsfn_nonblocking) != napi_ok) {
    free(item);
    atomic_fetch_sub(&pending, 1);
  }
}

static void drain_socket(uint32_t id, uint32_t gen) {
  for (int k = 0; k < READS_PER_EVENT; k++) {
    slot_t *s = live_slot(id, gen);
    if (s == NULL) return;
    endpoint_t from;
    from.len = sizeof(from.addr);
    ssize_t n = recvfrom(s->fd, buffer, sizeof(buffer), MSG_DONTWAIT, &from.addr.sa, &from.len);
    if (n < 0) return;
    if (!try_fast_path(s, buffer, n, &from)) hand_to_javascript(id, gen, buffer, n, &from);
  }
}

static void *run(void *unused) {
  (void)unused;
  struct epoll_event events[BATCH_EVENTS];
  for (;;) {
    int n = epoll_wait(epfd, events, BATCH_EVENTS, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return NULL;
    }
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n; i++) drain_socket((uint32_t)events[i].data.u64, (uint32_t)(events[i].data.u64 >> 32));
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

/* ---- delivery to JavaScript ------------------------------------------------------------------ */

static napi_value number(napi_env env, double x);

static void call_receiver(napi_env env, napi_value receiver, void *context, void *data) {
  (void)context;
  pending_t *item = data;
  atomic_fetch_sub(&pending, 1);
  if (env != NULL) {
    char text[INET6_ADDRSTRLEN];
    int port = 0;
    endpoint_text(&item->from, text, sizeof(text), &port);
    napi_value argv[4], undefined;
    void *copy;
    argv[0] = number(env, handle_of(item->id, item->gen));
    napi_create_buffer_copy(env, item->len, item->data, &copy, &argv[1]);
    napi_create_string_latin1(env, text, NAPI_AUTO_LENGTH, &argv[2]);
    napi_create_int32(env, port, &argv[3]);
    napi_get_undefined(env, &undefined);
    napi_call_function(env, undefined, receiver, 4, argv, NULL);
  }
  free(item);
}

/* ---- the socket table ------------------------------------------------------------------------ */

static int grow_table(void) {
  uint32_t count = slot_count == 0 ? 1024 : slot_count * 2;
  if (count > (uint32_t)SLOT_LIMIT) return -EMFILE;
  slot_t *grown = realloc(slots, sizeof(slot_t) * count);
  if (grown == NULL) return -ENOMEM;
  slots = grown;
  uint32_t *ids = realloc(free_ids, sizeof(uint32_t) * count);
  if (ids == NULL) return -ENOMEM;
  free_ids = ids;
  // Pushed highest first, so that the lowest slot is taken first.
  for (uint32_t i = count; i > slot_count; i--) {
    memset(&grown[i - 1], 0, sizeof(slot_t));
    grown[i - 1].fd = -1;
    free_ids[free_count++] = i - 1;
  }
  slot_count = count;
  return 0;
}

static int64_t take_slot(void) {
  if (free_count == 0) {
    int error = grow_table();
    if (error != 0) return error;
  }
  return free_ids[--free_count];
}

static void release_slot(uint32_t id) {
  slots[id].fd = -1;
  free_ids[free_count++] = id;
}

static void reset_slot(slot_t *s, int fd) {
  uint32_t gen = s->gen + 1;
  memset(s, 0, sizeof(*s));
  s->fd = fd;
  s->gen = gen;
  s->divert[0] = s->divert[1] = NO_PT;
}

/* Binds a socket (exclusively: no SO_REUSEADDR) and registers it with the thread. */
static double bind_socket(const char *address, int port) {
  endpoint_t local;
  if (endpoint_of(address, port, &local) != 0) return -EINVAL;
  int fd = socket(local.addr.sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  if (bind(fd, &local.addr.sa, local.len) != 0) {
    int error = errno;
    close(fd);
    return -error;
  }
  pthread_mutex_lock(&lock);
  int64_t id = take_slot();
  if (id < 0) {
    pthread_mutex_unlock(&lock);
    close(fd);
    return (double)id;
  }
  slot_t *s = &slots[id];
  reset_slot(s, fd);
  struct epoll_event event = { .events = EPOLLIN, .data.u64 = ((uint64_t)s->gen << 32) | (uint32_t)id };
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) != 0) {
    int error = errno;
    release_slot((uint32_t)id);
    pthread_mutex_unlock(&lock);
    close(fd);
    return -error;
  }
  open_count++;
  double handle = handle_of((uint32_t)id, s->gen);
  pthread_mutex_unlock(&lock);
  return handle;
}

static slot_t *js_slot(napi_env env, napi_value v) {
  double handle = -1;
  napi_get_value_double(env, v, &handle);
  if (!(handle >= 0)) return NULL;
  uint32_t gen = (uint32_t)(handle / SLOT_LIMIT);
  return live_slot((uint32_t)(handle - (double)gen * SLOT_LIMIT), gen);
}

static void close_socket(napi_env env, napi_value handle) {
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, handle);
  if (s != NULL) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
    close(s->fd);
    s->routed = 0;
    release_slot((uint32_t)(s - slots));
    open_count--;
  }
  pthread_mutex_unlock(&lock);
}

/* ---- N-API glue ------------------------------------------------------------------------------ */

#define ARGS(n)                                                   \
  size_t argc = n;                                                \
  napi_value argv[n];                                             \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);

static int32_t int_arg(napi_env env, napi_value v) {
  int32_t x = 0;
  napi_get_value_int32(env, v, &x);
  return x;
}

static double number_arg(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

static void text_arg(napi_env env, napi_value v, char *out, size_t size) {
  size_t length = 0;
  out[0] = 0;
  napi_get_value_string_latin1(env, v, out, size, &length);
}

static napi_value number(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

static napi_value js_start(napi_env env, napi_callback_info info) {
  ARGS(1)
  if (owner != NULL) return number(env, owner == env ? 0 : -EBUSY);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return number(env, -errno);
  napi_value name;
  napi_create_string_utf8(env, "relayForwarder", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, NULL, call_receiver, &deliver) != napi_ok) {
    return number(env, -EINVAL);
  }
  // The thread alone must not keep the process alive: open sockets are the relay's business.
  napi_unref_threadsafe_function(env, deliver);
  if (pthread_create(&thread, NULL, run, NULL) != 0) return number(env, -EAGAIN);
  pthread_detach(thread);
  owner = env;
  return number(env, 0);
}

static napi_value js_bind(napi_env env, napi_callback_info info) {
  ARGS(2)
  char address[INET6_ADDRSTRLEN + 1];
  text_arg(env, argv[0], address, sizeof(address));
  return number(env, bind_socket(address, int_arg(env, argv[1])));
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  ARGS(1)
  close_socket(env, argv[0]);
  return NULL;
}

static napi_value js_send(napi_env env, napi_callback_info info) {
  ARGS(4)
  slot_t *s = js_slot(env, argv[0]);
  void *data;
  size_t length;
  if (s == NULL || napi_get_buffer_info(env, argv[1], &data, &length) != napi_ok) return number(env, -EBADF);
  ssize_t sent;
  if (s->connected) {
    sent = send(s->fd, data, length, MSG_DONTWAIT);
  } else {
    char address[INET6_ADDRSTRLEN + 1];
    text_arg(env, argv[3], address, sizeof(address));
    endpoint_t to;
    if (endpoint_of(address, int_arg(env, argv[2]), &to) != 0) return number(env, -EINVAL);
    sent = sendto(s->fd, data, length, MSG_DONTWAIT, &to.addr.sa, to.len);
  }
  return number(env, sent < 0 ? -errno : (double)sent);
}

/* connect(id, address, port): ties the socket to one peer; address '' unties it. */
static napi_value js_connect(napi_env env, napi_callback_info info) {
  ARGS(3)
  char address[INET6_ADDRSTRLEN + 1];
  text_arg(env, argv[1], address, sizeof(address));
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  int result = -EBADF;
  if (s != NULL && address[0] == 0) {
    struct sockaddr unspec = { .sa_family = AF_UNSPEC };
    connect(s->fd, &unspec, sizeof(unspec));
    s->connected = 0;
    result = 0;
  } else if (s != NULL) {
    endpoint_t peer;
    result = endpoint_of(address, int_arg(env, argv[2]), &peer);
    if (result == 0 && connect(s->fd, &peer.addr.sa, peer.len) != 0) result = -errno;
    if (result == 0) {
      s->connected = 1;
      s->peer = peer;
    }
  }
  pthread_mutex_unlock(&lock);
  return number(env, result);
}

static napi_value js_local_address(napi_env env, napi_callback_info info) {
  ARGS(1)
  slot_t *s = js_slot(env, argv[0]);
  endpoint_t local;
  local.len = sizeof(local.addr);
  napi_value v;
  if (s == NULL || getsockname(s->fd, &local.addr.sa, &local.len) != 0) {
    napi_get_undefined(env, &v);
    return v;
  }
  char text[INET6_ADDRSTRLEN];
  int port = 0;
  endpoint_text(&local, text, sizeof(text), &port);
  napi_create_string_latin1(env, text, NAPI_AUTO_LENGTH, &v);
  return v;
}

/* route(id, srcAddress, srcPort, outId, dstAddress, dstPort, divert0, divert1), or route(id) to remove. */
static napi_value js_route(napi_env env, napi_callback_info info) {
  ARGS(8)
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  int result = 0;
  if (s != NULL) {
    s->routed = 0;
    if (argc >= 8) {
      char src[INET6_ADDRSTRLEN + 1], dst[INET6_ADDRSTRLEN + 1];
      text_arg(env, argv[1], src, sizeof(src));
      text_arg(env, argv[4], dst, sizeof(dst));
      slot_t *out = js_slot(env, argv[3]);
      if (out != NULL && endpoint_of(src, int_arg(env, argv[2]), &s->src) == 0 && endpoint_of(dst, int_arg(env, argv[5]), &s->dst) == 0) {
        s->out_id = (uint32_t)(out - slots);
        s->out_gen = out->gen;
        s->divert[0] = int_arg(env, argv[6]);
        s->divert[1] = int_arg(env, argv[7]);
        s->routed = 1;
        result = 1;
      }
    }
  }
  pthread_mutex_unlock(&lock);
  return number(env, result);
}

/* track(id, ssrc, sequence): an RTP packet JavaScript forwarded, for the socket's loss count. */
static napi_value js_track(napi_env env, napi_callback_info info) {
  ARGS(3)
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  if (s != NULL) tracker_update(&s->seq, (uint32_t)number_arg(env, argv[1]), int_arg(env, argv[2]) & 0xffff);
  pthread_mutex_unlock(&lock);
  return NULL;
}

/* counters(id, out: Float64Array(4)): fast-path packets, bytes, ms since the last one, and loss. */
static napi_value js_counters(napi_env env, napi_callback_info info) {
  ARGS(2)
  double *out;
  size_t length;
  napi_typedarray_type type;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, (void **)&out, NULL, NULL) != napi_ok || type != napi_float64_array || length < 4) {
    return number(env, -EINVAL);
  }
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  int result = -EBADF;
  if (s != NULL) {
    out[0] = s->packets;
    out[1] = s->bytes;
    out[2] = s->last_ms == 0 ? -1 : (double)(now_ms() - s->last_ms);
    out[3] = (double)(s->seq.lost_before + tracker_current_lost(&s->seq));
    result = 0;
  }
  pthread_mutex_unlock(&lock);
  return number(env, result);
}

static napi_value js_status(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "open", number(env, open_count));
  napi_set_named_property(env, result, "overflow", number(env, (double)atomic_load(&overflow)));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
    { "start", NULL, js_start, NULL, NULL, NULL, napi_default, NULL },
    { "bind", NULL, js_bind, NULL, NULL, NULL, napi_default, NULL },
    { "close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL },
    { "send", NULL, js_send, NULL, NULL, NULL, napi_default, NULL },
    { "connect", NULL, js_connect, NULL, NULL, NULL, napi_default, NULL },
    { "localAddress", NULL, js_local_address, NULL, NULL, NULL, napi_default, NULL },
    { "route", NULL, js_route, NULL, NULL, NULL, napi_default, NULL },
    { "track", NULL, js_track, NULL, NULL, NULL, napi_default, NULL },
    { "counters", NULL, js_counters, NULL, NULL, NULL, napi_default, NULL },
    { "status", NULL, js_status, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
