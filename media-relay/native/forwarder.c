/*
 * The relay's native forwarding plane: UDP sockets read by one thread of their own, which sends
 * the RTP of an established stream straight on to the peer's phone without waking JavaScript.
 * Everything else (packets before a route exists, RTCP, telephone events, strangers) is handed to
 * the JavaScript relay, which decides as it always does and installs the route when it forwards.
 *
 * Locking: one mutex guards the socket table. The thread takes it per readiness event; calls from
 * JavaScript that read or change a socket take it briefly. Only the JavaScript thread binds,
 * closes, grows the table or changes `connected`, so its own unlocked reads of those are safe.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include "endpoint.h"
#include "loss-tracker.h"

#define MAX_DATAGRAM 65536
#define BATCH_EVENTS 256
/* Hand-ups waiting for JavaScript, in all and per socket, and their bytes: past these they are
   dropped and counted, so that a flood at one port while the event loop is busy neither grows
   memory nor crowds out the other calls' RTCP and key presses. */
#define MAX_PENDING 8192
#define MAX_PENDING_PER_SOCKET 64
#define MAX_PENDING_BYTES (8 * 1024 * 1024)
#define NO_PT (-1)
/* JavaScript names a socket by a handle: its slot plus its generation times this. Once the slot
   is reused the old handle names nothing. */
#define SLOT_LIMIT 1048576.0
/* The epoll tag of the eventfd that wakes the thread to stop: no socket has this slot. */
#define WAKE_TAG UINT64_MAX

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
  int pending;
  double packets, bytes;
  int64_t last_ms;
  loss_tracker_t seq;
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
static int wake_fd = -1;
static pthread_t thread;
static atomic_int stopping = 0;
static atomic_int thread_failed = 0;
static napi_threadsafe_function deliver = NULL;
/* The environment whose relay owns the forwarder; the TypeScript side starts it from the main
   thread only, and the cleanup hook lets a later environment start it again. */
static napi_env owner = NULL;
static atomic_int pending = 0;
static atomic_long pending_bytes = 0;
static atomic_uint_fast64_t overflow = 0;
static unsigned char buffer[MAX_DATAGRAM];

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static slot_t *live_slot(uint32_t id, uint32_t gen) {
  if (id >= slot_count || slots[id].fd < 0 || slots[id].gen != gen) return NULL;
  return &slots[id];
}

static double handle_of(uint32_t id, uint32_t gen) {
  return (double)gen * SLOT_LIMIT + id;
}

/* ---- the forwarding thread ------------------------------------------------------------------- */

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

static int over_budget(const slot_t *s, ssize_t n) {
  return s->pending >= MAX_PENDING_PER_SOCKET || atomic_load(&pending) >= MAX_PENDING
    || atomic_load(&pending_bytes) + n > MAX_PENDING_BYTES;
}

static void hand_to_javascript(slot_t *s, uint32_t id, const unsigned char *p, ssize_t n, const endpoint_t *from) {
  pending_t *item = over_budget(s, n) ? NULL : malloc(sizeof(pending_t) + (size_t)n);
  if (item == NULL) {
    atomic_fetch_add(&overflow, 1);
    return;
  }
  item->id = id;
  item->gen = s->gen;
  item->from = *from;
  item->len = (size_t)n;
  memcpy(item->data, p, (size_t)n);
  s->pending++;
  atomic_fetch_add(&pending, 1);
  atomic_fetch_add(&pending_bytes, n);
  if (napi_call_threadsafe_function(deliver, item, napi_tsfn_nonblocking) != napi_ok) {
    s->pending--;
    atomic_fetch_sub(&pending, 1);
    atomic_fetch_sub(&pending_bytes, n);
    free(item);
  }
}

/* One datagram of a readable socket: a phone's socket rarely holds two (50 packets/s), and epoll
   is level-triggered, so a second read would mostly be a wasted system call. */
static void read_socket(uint32_t id, uint32_t gen) {
  slot_t *s = live_slot(id, gen);
  if (s == NULL) return;
  endpoint_t from;
  from.len = sizeof(from.addr);
  ssize_t n = recvfrom(s->fd, buffer, sizeof(buffer), MSG_DONTWAIT, &from.addr.sa, &from.len);
  if (n < 0) return;
  if (!try_fast_path(s, buffer, n, &from)) hand_to_javascript(s, id, buffer, n, &from);
}

static void *run(void *unused) {
  (void)unused;
  struct epoll_event events[BATCH_EVENTS];
  while (!atomic_load(&stopping)) {
    int n = epoll_wait(epfd, events, BATCH_EVENTS, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      atomic_store(&thread_failed, 1);
      return NULL;
    }
    for (int i = 0; i < n && !atomic_load(&stopping); i++) {
      uint64_t tag = events[i].data.u64;
      if (tag == WAKE_TAG) continue;
      pthread_mutex_lock(&lock);
      read_socket((uint32_t)tag, (uint32_t)(tag >> 32));
      pthread_mutex_unlock(&lock);
    }
  }
  return NULL;
}

/* ---- delivery to JavaScript ------------------------------------------------------------------ */

static napi_value number(napi_env env, double x) {
  napi_value v = NULL;
  napi_create_double(env, x, &v);
  return v;
}

static void call_receiver(napi_env env, napi_value receiver, void *context, void *data) {
  (void)context;
  pending_t *item = data;
  atomic_fetch_sub(&pending, 1);
  atomic_fetch_sub(&pending_bytes, (long)item->len);
  // env is NULL while the function is torn down, when the table may be gone already.
  if (env != NULL) {
    pthread_mutex_lock(&lock);
    slot_t *s = live_slot(item->id, item->gen);
    if (s != NULL) s->pending--;
    pthread_mutex_unlock(&lock);
    char text[INET6_ADDRSTRLEN];
    int port = 0;
    endpoint_text(&item->from, text, sizeof(text), &port);
    napi_value argv[4], undefined;
    void *copy;
    argv[0] = number(env, handle_of(item->id, item->gen));
    if (napi_create_buffer_copy(env, item->len, item->data, &copy, &argv[1]) == napi_ok
        && napi_create_string_latin1(env, text, NAPI_AUTO_LENGTH, &argv[2]) == napi_ok
        && napi_create_int32(env, port, &argv[3]) == napi_ok && napi_get_undefined(env, &undefined) == napi_ok) {
      napi_call_function(env, undefined, receiver, 4, argv, NULL);
    }
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

/* Binds a socket (exclusively: no SO_REUSEADDR) and registers it with the thread; a handle or -errno. */
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

/* The socket a handle names, or NULL: a handle is a whole number below 2^52. */
static slot_t *js_slot(napi_env env, napi_value v) {
  double handle = -1;
  if (napi_get_value_double(env, v, &handle) != napi_ok || !(handle >= 0 && handle < 4503599627370496.0)) return NULL;
  double gen = (double)(uint64_t)(handle / SLOT_LIMIT);
  double id = handle - gen * SLOT_LIMIT;
  if (gen > UINT32_MAX || id != (double)(uint32_t)id) return NULL;
  return live_slot((uint32_t)id, (uint32_t)gen);
}

static void close_slot(slot_t *s) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
  close(s->fd);
  s->routed = 0;
  release_slot((uint32_t)(s - slots));
  open_count--;
}

/* ---- start and stop -------------------------------------------------------------------------- */

/* The environment is going away: the thread stops before the function it calls is freed. */
static void stop_forwarder(void *unused) {
  (void)unused;
  atomic_store(&stopping, 1);
  uint64_t one = 1;
  // The thread may have ended already (thread_failed); joining it then returns at once.
  if (write(wake_fd, &one, sizeof(one)) != sizeof(one)) atomic_store(&thread_failed, 1);
  pthread_join(thread, NULL);
  pthread_mutex_lock(&lock);
  for (uint32_t i = 0; i < slot_count; i++) if (slots[i].fd >= 0) close_slot(&slots[i]);
  free(slots);
  free(free_ids);
  slots = NULL;
  free_ids = NULL;
  slot_count = free_count = open_count = 0;
  pthread_mutex_unlock(&lock);
  close(epfd);
  close(wake_fd);
  epfd = wake_fd = -1;
  deliver = NULL;
  owner = NULL;
  atomic_store(&stopping, 0);
  atomic_store(&thread_failed, 0);
}

/* The thread takes no signals: they are the process's business, handled on the main thread. */
static int start_thread(void) {
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  int error = pthread_create(&thread, NULL, run, NULL);
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  return error;
}

static int start_forwarder(napi_env env, napi_value receiver) {
  epfd = epoll_create1(EPOLL_CLOEXEC);
  wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  struct epoll_event wake = { .events = EPOLLIN, .data.u64 = WAKE_TAG };
  napi_value name;
  int ok = epfd >= 0 && wake_fd >= 0 && epoll_ctl(epfd, EPOLL_CTL_ADD, wake_fd, &wake) == 0
    && napi_create_string_utf8(env, "relayForwarder", NAPI_AUTO_LENGTH, &name) == napi_ok
    && napi_create_threadsafe_function(env, receiver, NULL, name, 0, 1, NULL, NULL, NULL, call_receiver, &deliver) == napi_ok;
  if (ok) {
    // The thread alone must not keep the process alive: open sockets are the relay's business.
    napi_unref_threadsafe_function(env, deliver);
    ok = start_thread() == 0;
    if (!ok) napi_release_threadsafe_function(deliver, napi_tsfn_abort);
  }
  if (!ok) {
    if (epfd >= 0) close(epfd);
    if (wake_fd >= 0) close(wake_fd);
    epfd = wake_fd = -1;
    deliver = NULL;
    return -EAGAIN;
  }
  // Registered after the function's own hook, so it runs first (hooks run in reverse order).
  napi_add_env_cleanup_hook(env, stop_forwarder, NULL);
  owner = env;
  return 0;
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

static void text_arg(napi_env env, napi_value v, char *out, size_t size) {
  size_t length = 0;
  out[0] = 0;
  napi_get_value_string_latin1(env, v, out, size, &length);
}

static napi_value js_start(napi_env env, napi_callback_info info) {
  ARGS(1)
  if (owner != NULL) return number(env, owner == env ? 0 : -EBUSY);
  return number(env, start_forwarder(env, argv[0]));
}

static napi_value js_bind(napi_env env, napi_callback_info info) {
  ARGS(2)
  char address[INET6_ADDRSTRLEN + 1];
  text_arg(env, argv[0], address, sizeof(address));
  if (owner != env) return number(env, -EBUSY);
  return number(env, bind_socket(address, int_arg(env, argv[1])));
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  ARGS(1)
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  if (s != NULL) close_slot(s);
  pthread_mutex_unlock(&lock);
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

/* connect(handle, address, port): ties the socket to one peer; address '' unties it. */
static napi_value js_connect(napi_env env, napi_callback_info info) {
  ARGS(3)
  char address[INET6_ADDRSTRLEN + 1];
  text_arg(env, argv[1], address, sizeof(address));
  endpoint_t peer;
  int parsed = address[0] == 0 ? 0 : endpoint_of(address, int_arg(env, argv[2]), &peer);
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  int result = s == NULL ? -EBADF : parsed;
  if (result == 0 && address[0] == 0) {
    struct sockaddr unspec = { .sa_family = AF_UNSPEC };
    connect(s->fd, &unspec, sizeof(unspec));
    s->connected = 0;
  } else if (result == 0) {
    if (connect(s->fd, &peer.addr.sa, peer.len) != 0) result = -errno;
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

/* route(handle, srcAddress, srcPort, outHandle, dstAddress, dstPort, divert0, divert1), or
   route(handle) to remove it; 1 when a route is set. */
static napi_value js_route(napi_env env, napi_callback_info info) {
  ARGS(8)
  endpoint_t src, dst;
  int divert[2] = { NO_PT, NO_PT };
  int wanted = argc >= 8;
  if (wanted) {
    char src_text[INET6_ADDRSTRLEN + 1], dst_text[INET6_ADDRSTRLEN + 1];
    text_arg(env, argv[1], src_text, sizeof(src_text));
    text_arg(env, argv[4], dst_text, sizeof(dst_text));
    wanted = endpoint_of(src_text, int_arg(env, argv[2]), &src) == 0 && endpoint_of(dst_text, int_arg(env, argv[5]), &dst) == 0;
    divert[0] = int_arg(env, argv[6]);
    divert[1] = int_arg(env, argv[7]);
  }
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  slot_t *out = wanted ? js_slot(env, argv[3]) : NULL;
  int result = 0;
  if (s != NULL) {
    s->routed = 0;
    if (out != NULL) {
      s->src = src;
      s->dst = dst;
      s->out_id = (uint32_t)(out - slots);
      s->out_gen = out->gen;
      s->divert[0] = divert[0];
      s->divert[1] = divert[1];
      s->routed = result = 1;
    }
  }
  pthread_mutex_unlock(&lock);
  return number(env, result);
}

/* track(handle, ssrc, sequence): an RTP packet JavaScript forwarded, for the socket's loss count.
   The SSRC comes as a signed 32-bit number: only its bits count. */
static napi_value js_track(napi_env env, napi_callback_info info) {
  ARGS(3)
  uint32_t ssrc = (uint32_t)int_arg(env, argv[1]);
  int sequence = int_arg(env, argv[2]) & 0xffff;
  pthread_mutex_lock(&lock);
  slot_t *s = js_slot(env, argv[0]);
  if (s != NULL) tracker_update(&s->seq, ssrc, sequence);
  pthread_mutex_unlock(&lock);
  return NULL;
}

/* counters(handle, out: Float64Array(4)): fast-path packets, bytes, ms since the last one, and loss. */
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
    out[3] = (double)tracker_lost(&s->seq);
    result = 0;
  }
  pthread_mutex_unlock(&lock);
  return number(env, result);
}

/* open sockets, datagrams dropped for want of room toward JavaScript, and whether the thread failed. */
static napi_value js_status(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, failed;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "open", number(env, open_count));
  napi_set_named_property(env, result, "overflow", number(env, (double)atomic_load(&overflow)));
  napi_get_boolean(env, atomic_load(&thread_failed) != 0, &failed);
  napi_set_named_property(env, result, "failed", failed);
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
