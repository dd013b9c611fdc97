/* IPv4 and IPv6 socket addresses as the forwarder keeps them: parsed once, compared by value. */
#ifndef RELAY_ENDPOINT_H
#define RELAY_ENDPOINT_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* 28 bytes, where a sockaddr_storage would take 128 a copy. */
typedef union {
  struct sockaddr sa;
  struct sockaddr_in v4;
  struct sockaddr_in6 v6;
} socket_address_t;

typedef struct {
  socket_address_t addr;
  socklen_t len;
} endpoint_t;

/* An IP literal and port; -EINVAL for anything else (host names are never looked up here). */
static inline int endpoint_of(const char *address, int port, endpoint_t *out) {
  memset(out, 0, sizeof(*out));
  if (port < 0 || port > 65535) return -EINVAL;
  if (inet_pton(AF_INET, address, &out->addr.v4.sin_addr) == 1) {
    out->addr.v4.sin_family = AF_INET;
    out->addr.v4.sin_port = htons((uint16_t)port);
    out->len = sizeof(out->addr.v4);
    return 0;
  }
  if (inet_pton(AF_INET6, address, &out->addr.v6.sin6_addr) == 1) {
    out->addr.v6.sin6_family = AF_INET6;
    out->addr.v6.sin6_port = htons((uint16_t)port);
    out->len = sizeof(out->addr.v6);
    return 0;
  }
  return -EINVAL;
}

static inline int same_endpoint(const endpoint_t *a, const endpoint_t *b) {
  if (a->addr.sa.sa_family != b->addr.sa.sa_family) return 0;
  if (a->addr.sa.sa_family == AF_INET) {
    return a->addr.v4.sin_port == b->addr.v4.sin_port && a->addr.v4.sin_addr.s_addr == b->addr.v4.sin_addr.s_addr;
  }
  return a->addr.v6.sin6_port == b->addr.v6.sin6_port && a->addr.v6.sin6_scope_id == b->addr.v6.sin6_scope_id
    && memcmp(&a->addr.v6.sin6_addr, &b->addr.v6.sin6_addr, sizeof(struct in6_addr)) == 0;
}

static inline void endpoint_text(const endpoint_t *e, char *text, size_t size, int *port) {
  if (e->addr.sa.sa_family == AF_INET) {
    inet_ntop(AF_INET, &e->addr.v4.sin_addr, text, (socklen_t)size);
    *port = ntohs(e->addr.v4.sin_port);
  } else {
    inet_ntop(AF_INET6, &e->addr.v6.sin6_addr, text, (socklen_t)size);
    *port = ntohs(e->addr.v6.sin6_port);
  }
}

#endif
