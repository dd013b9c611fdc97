#!/usr/bin/env bash
# The anchors' media-stack.sh (../shared/anchors/media-stack.sh), unchanged but for the run dir:
# start/stop the server side of the media anchor on loopback:
#   rtpengine (userspace only, table=-1)  ng 127.0.0.1:22222, cli 127.0.0.1:22224, RTP ports 30000-49999
#   kamailio  (kamailio-rtpengine.cfg)    SIP 127.0.0.1:5072 -> UAS 127.0.0.1:5092
# usage: media-stack.sh start|stop          (pids in $RUN_DIR, default /tmp/bench-media/*.pid)
set -u
here=$(cd "$(dirname "$0")" && pwd)
run=${RUN_DIR:-/tmp/bench-media}; mkdir -p "$run"
case "${1:-}" in
start)
  rtpengine --config-file=none -f -E -L 4 -t -1 -i 127.0.0.1 -n 127.0.0.1:22222 -c 127.0.0.1:22224 \
    -m 30000 -M 49999 -d 0 --timeout=60 >"$run/rtpengine.log" 2>&1 &
  echo $! >"$run/rtpengine.pid"
  sleep 1
  kamailio -f "$here/kamailio-rtpengine.cfg" -DD -E -m 256 -M 32 >"$run/kamailio.log" 2>&1 &
  echo $! >"$run/kamailio.pid"
  sleep 1
  ss -lunp | grep -E ':(5072|22222|22224) ' ;;
stop)
  for f in kamailio rtpengine; do
    [ -f "$run/$f.pid" ] && kill "$(cat "$run/$f.pid")" 2>/dev/null; rm -f "$run/$f.pid"
  done ;;
*) echo "usage: $0 start|stop"; exit 2 ;;
esac
