#!/usr/bin/env bash
# Calls-per-second driver: the anchors' cps.sh (../shared/anchors/cps.sh) with the same sipp
# command, made usable for every target of the bench so that all of them run through one harness.
# Drives TARGET with a UAC scenario (INVITE .. BYE, no hold time) at RATE calls/s for CALLS calls.
# usage: cps.sh TARGET_HOSTPORT RATE CALLS [extra sipp args, e.g. -s 200000 -inf users.csv]
# env:   SCENARIO=uac.xml (anchors' scenario; the switch needs uac_auth.xml)   UAC_PORT=5061
#        OUT_DIR=dir  keep sipp's stat.csv and error log there (default: a temp dir, removed)
# prints: target rate calls rc ok failed retrans elapsed achieved_cps
# Differences from the anchors' script: SCENARIO/UAC_PORT/OUT_DIR, -trace_err (writes only on
# errors), and elapsed from the start/end timestamps (microseconds) instead of whole seconds.
set -u
target=$1; rate=$2; calls=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
scenario=${SCENARIO:-$here/uac.xml}
work=${OUT_DIR:-$(mktemp -d)}; mkdir -p "$work"; cd "$work"
rm -f stat.csv err.log errors.log
timeout --foreground $(( calls / rate + 60 )) sipp -sf "$scenario" "$target" -i 127.0.0.1 -p "${UAC_PORT:-5061}" -r "$rate" -rp 1000 -m "$calls" -d 0 -l 30000 -nostdin \
  -trace_stat -stf stat.csv -fd 1 -trace_err -error_file errors.log "$@" >/dev/null 2>err.log
rc=$?
last=$(tail -1 stat.csv 2>/dev/null)
f() { echo "$last" | awk -F';' -v i=$1 '{print $i}'; }
epoch() { echo "$1" | awk -F'\t' '{print $NF}'; }
ok=$(f 16); failed=$(f 18); retr=$(f 58)
secs=$(awk -v a="$(epoch "$(f 1)")" -v b="$(epoch "$(f 3)")" 'BEGIN{ printf "%.2f", b-a }')
cps=$(awk -v n="$ok" -v s="$secs" 'BEGIN{ if (s>0) printf "%.0f", n/s; else print "nan"}')
echo "target=$target rate=$rate calls=$calls rc=$rc ok=$ok failed=$failed retrans=$retr elapsed=${secs}s achieved=${cps}cps"
[ -n "${OUT_DIR:-}" ] || { cd /; rm -rf "$work"; }
