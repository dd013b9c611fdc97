#!/usr/bin/env bash
# REGISTER-with-digest driver: the anchors' reg.sh (../shared/anchors/reg.sh) with the same sipp
# command. COUNT registrations at RATE/s from an injection file of users (field0=user
# field1=domain/realm field2=[authentication ...]). Bounded by a hard timeout.
# usage: reg.sh TARGET RATE COUNT [extra sipp args]
# env:   USERS=users.csv (injection file; required)   SCENARIO=reg.xml   REG_PORT=5064
#        OUT_DIR=dir  keep stat.csv and the error log there (default: a temp dir, removed)
# prints: target rate count rc ok failed retrans elapsed achieved_rps
set -u
target=$1; rate=$2; count=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
users=${USERS:?set USERS to an injection file}
scenario=${SCENARIO:-$here/reg.xml}
work=${OUT_DIR:-$(mktemp -d)}; mkdir -p "$work"; cd "$work"
rm -f stat.csv err.log out.log
timeout --foreground $(( count / rate + 40 )) sipp -sf "$scenario" "$target" -inf "$users" -i 127.0.0.1 -p "${REG_PORT:-5064}" \
  -r "$rate" -rp 1000 -m "$count" -l 30000 -max_socket 100 -nostdin -trace_stat -stf stat.csv -fd 1 -trace_err -error_file err.log \
  "$@" >out.log 2>&1
rc=$?
last=$(tail -1 stat.csv 2>/dev/null)
f() { echo "$last" | awk -F';' -v i=$1 '{print $i}'; }
epoch() { echo "$1" | awk -F'\t' '{print $NF}'; }
ok=$(f 16); failed=$(f 18); retr=$(f 58)
secs=$(awk -v a="$(epoch "$(f 1)")" -v b="$(epoch "$(f 3)")" 'BEGIN{ printf "%.2f", b-a }')
rps=$(awk -v n="$ok" -v s="$secs" 'BEGIN{ if (s>0) printf "%.0f", n/s; else print "nan"}')
echo "target=$target rate=$rate count=$count rc=$rc ok=$ok failed=$failed retrans=$retr elapsed=${secs}s achieved=${rps}reg/s"
[ -n "${OUT_DIR:-}" ] || { cd /; rm -rf "$work"; }
