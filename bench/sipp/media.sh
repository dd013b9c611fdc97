#!/usr/bin/env bash
# Calls-with-media driver: the anchors' media.sh (../shared/anchors/media.sh) made usable for every
# target of the bench (the switch needs a UAC that authenticates and a UAS that registered), with
# its timing derived from RAMP_S and CALL_MS so that a tiny run is short. With the defaults
# (RAMP_S=10, MARGIN_S=4) the timeline is the anchors' one exactly.
#
# sipp UAC (uac_media.xml) -> TARGET -> sipp UAS (uas_media.xml, started here on 127.0.0.1:5092).
# Both ends stream PCMU (20 ms, 50 pps each way) for the whole call. Concurrency CONC is reached in
# RAMP_S s (rate CONC/RAMP_S cps, -l CONC), held (2*CONC calls of CALL_MS each), then drains.
# Also prints cpu_pressure (PSI: share of the CPU window in which some task waited for a CPU),
# the noise indicator on a shared machine; sys_busy_2cores from /proc/stat is kept as the anchors print it.
# Timeline (t from the UAC start): CPU window [RAMP_S+MARGIN_S, +W] with W = 2*hold-RAMP_S-MARGIN_S-11,
# then a 3 s capture, relay socket drops read at t = 2*hold-2 (second generation of calls up).
#
# usage: media.sh TARGET CONC [CALL_MS=20000]
# env:
#   SERVER_PIDS="pid pid ..."   processes whose CPU% is reported as the server (default: rtpengine and
#                               kamailio started by media-stack.sh, if TARGET is not the UAS itself)
#   RTPENGINE_CLI=127.0.0.1:22224  read rtpengine totals before/after (set empty to skip)
#   RELAY_PORTS=30000-49999     relay's local RTP port range, for per-socket kernel drop counts
#   CAPTURE=1                   3 s dumpcap window on lo for loss/latency (0 to skip)
#   UAC_MP=6100 UAS_MP=6200     media ports of the two sipp ends;  UAC_PORT=5062 UAS_PORT=5092
#   UAC_SCENARIO=uac_media.xml  UAC_ARGS="extra sipp args" (e.g. -s 200001 -inf users.csv)
#   REGISTER_TARGET=host:port REGISTER_INF=file  first REGISTER the UAS's port there (reg.xml, 1 user)
#   RAMP_S=10 MARGIN_S=4        timing (see above)
# prints one line "RESULT ..." and leaves details in $OUT_DIR (default /tmp/bench-media/run-<ts>)
set -u
target=$1; conc=$2; call_ms=${3:-20000}
here=$(cd "$(dirname "$0")" && pwd)
uac_mp=${UAC_MP:-6100}; uas_mp=${UAS_MP:-6200}
uac_port=${UAC_PORT:-5062}; uas_port=${UAS_PORT:-5092}
cli=${RTPENGINE_CLI-127.0.0.1:22224}
capture=${CAPTURE:-1}
command -v dumpcap >/dev/null 2>&1 || capture=0
relay_ports=${RELAY_PORTS:-30000-49999}
uac_scenario=${UAC_SCENARIO:-$here/uac_media.xml}
ramp=${RAMP_S:-10}; margin=${MARGIN_S:-4}
out=${OUT_DIR:-/tmp/bench-media/run-$(date +%s)}; mkdir -p "$out"; cp "$here/tone.pcmu" "$out/"
cd "$out"
direct=0; [ "$target" = "127.0.0.1:$uas_port" ] && direct=1
if [ -z "${SERVER_PIDS+x}" ]; then
  SERVER_PIDS=""
  if [ $direct = 0 ]; then
    for f in rtpengine kamailio; do
      [ -f /tmp/bench-media/$f.pid ] || continue
      p=$(cat /tmp/bench-media/$f.pid); SERVER_PIDS="$SERVER_PIDS $p $(pgrep -P "$p" | tr '\n' ' ')"
    done
  fi
fi
rate=$(( conc / ramp )); [ $rate -lt 1 ] && rate=1
calls=$(( 2 * conc ))
hold_s=$(( call_ms / 1000 ))
total_s=$(( ramp + 2 * hold_s + 35 ))
win=$(( 2 * hold_s - ramp - margin - 11 ))
[ $win -lt 1 ] && { echo "RESULT error: CALL_MS too short for RAMP_S/MARGIN_S (cpu window $win s)"; exit 2; }

ticks() { local s=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && s=$(( s + $(awk '{print $14+$15}' /proc/$p/stat) )); done; echo $s; }
psi() { awk '/^some/{for(i=1;i<=NF;i++) if ($i ~ /^total=/){sub("total=","",$i); print $i}}' /proc/pressure/cpu 2>/dev/null; }
systicks() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
rtpe_total() { [ -n "$cli" ] && rtpengine-ctl -ip "${cli%:*}" -port "${cli#*:}" list totals 2>/dev/null | awk -F: -v k="$1" '$1 ~ k {gsub(/ /,"",$2); print $2; exit}'; }
relay_drops() { awk -v lo="${relay_ports%-*}" -v hi="${relay_ports#*-}" 'function hex(h, i,v){v=0; for(i=1;i<=length(h);i++) v=v*16+index("0123456789ABCDEF",substr(toupper(h),i,1))-1; return v} NR>1 { split($2,a,":"); p=hex(a[2]); if (p>=lo && p<=hi) { n++; d+=$NF } } END { printf "sockets=%d drops=%d", n, d }' /proc/net/udp; }
t0=$(date +%s.%N)
sleep_until() { local d; d=$(awk -v t0="$t0" -v at="$1" -v now="$(date +%s.%N)" 'BEGIN{d=t0+at-now; if (d<0) d=0; printf "%.2f", d}'); sleep "$d"; }

if [ -n "${REGISTER_TARGET:-}" ]; then
  timeout --foreground 20 sipp -sf "$here/reg.xml" "$REGISTER_TARGET" -inf "$REGISTER_INF" -i 127.0.0.1 -p "$uas_port" -m 1 -nostdin \
    -trace_err -error_file register_err.log >register.out 2>&1 || { echo "RESULT error: UAS registration at $REGISTER_TARGET failed"; exit 3; }
fi

# fresh UAS per run so its "RTP pckts sent" counter belongs to this run
timeout --foreground $(( total_s + 30 )) sipp -sf "$here/uas_media.xml" -i 127.0.0.1 -p "$uas_port" -mi 127.0.0.1 -mp "$uas_mp" -nostdin \
  -trace_screen -screen_file uas_screen.log -trace_err -error_file uas_err.log >uas.out 2>&1 &
uas_pid=$!   # pid of timeout; sipp is its child
sleep 0.5; uas_sipp=$(pgrep -P $uas_pid)
rel0=$(rtpe_total 'Total relayed packets \(userspace\)'); err0=$(rtpe_total 'Total relayed packet errors \(userspace\)')

t0=$(date +%s.%N)
timeout --foreground $total_s sipp -sf "$uac_scenario" "$target" -i 127.0.0.1 -p "$uac_port" -mi 127.0.0.1 -mp "$uac_mp" \
  -r $rate -rp 1000 -l $conc -m $calls -d $call_ms -nostdin -trace_stat -stf stat.csv -fd 1 \
  -trace_screen -screen_file uac_screen.log -trace_err -error_file uac_err.log ${UAC_ARGS:-} >uac.out 2>&1 &
uac_pid=$!
sleep 0.5; uac_sipp=$(pgrep -P $uac_pid)
# sipp prints "Total RTP pckts sent" only while its RTP threads exist (not in the exit dump):
# ask for a screen dump every second; the last dump falls in the 3 s idle tail of the last call.
( for i in $(seq 1 $total_s); do kill -USR2 $uac_sipp 2>/dev/null || exit 0; sleep 1; done ) &
dumper=$!

# steady state: CPU over [ramp+margin, +win], capture after it, drops at 2*hold-2
sleep_until $(( ramp + margin ))
c0=$(ticks $SERVER_PIDS); u0=$(ticks $uac_sipp); s0=$(ticks $uas_sipp); read sb0 st0 < <(systicks)
each0=(); for p in $SERVER_PIDS; do each0+=("$(ticks $p)"); done
psi0=$(psi)
tw0=$(date +%s.%N)
sleep_until "$(awk -v a=$(( ramp + margin )) -v w=$win 'BEGIN{print a+w/2}')"
pps_mid=$(rtpe_total 'Packets per second \(userspace\)')
sleep_until $(( ramp + margin + win ))
c1=$(ticks $SERVER_PIDS); u1=$(ticks $uac_sipp); s1=$(ticks $uas_sipp); read sb1 st1 < <(systicks)
tw1=$(date +%s.%N)
psi1=$(psi)
hz=$(getconf CLK_TCK); wsec=$(awk -v a=$tw0 -v b=$tw1 'BEGIN{print b-a}')
cpu_pressure=$(awk -v a="${psi0:-0}" -v b="${psi1:-0}" -v w=$wsec 'BEGIN{printf "%.1f", 100*(b-a)/1e6/w}')
cpu() { awk -v a=$1 -v b=$2 -v hz=$hz -v w=$wsec 'BEGIN{printf "%.1f", 100*(b-a)/hz/w}'; }
srv_cpu=$(cpu $c0 $c1); uac_cpu=$(cpu $u0 $u1); uas_cpu=$(cpu $s0 $s1)
each=""; i=0
for p in $SERVER_PIDS; do
  comm=$(cat /proc/$p/comm 2>/dev/null || echo gone)
  each="$each$comm:$p:$(cpu ${each0[$i]} $(ticks $p))% "; i=$(( i + 1 ))
done
sys_busy=$(awk -v a=$sb0 -v b=$sb1 -v c=$st0 -v d=$st1 'BEGIN{printf "%.1f", 100*(b-a)/(d-c)}')
cap="capture=skipped"
if [ "$capture" = 1 ]; then
  sleep 1
  timeout --foreground 10 dumpcap -q -i lo -P -s 96 -B 64 -a duration:3 -f "udp and (port $uac_mp or port $uas_mp)" -w "$out/rtp.pcap" >cap.out 2>&1
  cap=$(python3 "$here/rtp_pcap_stats.py" "$out/rtp.pcap" "$uac_mp" "$uas_mp")
  cap="$cap cap_kernel:'$(tr '\n' ' ' <cap.out | sed 's/  */ /g')'"
fi
sleep_until $(( 2 * hold_s - 2 ))
drops=$(relay_drops)

wait $uac_pid; rc=$?
kill $dumper 2>/dev/null
kill -USR2 $uas_sipp 2>/dev/null; sleep 1
kill -USR1 $uas_sipp 2>/dev/null; wait $uas_pid 2>/dev/null
sleep 1
rel1=$(rtpe_total 'Total relayed packets \(userspace\)'); err1=$(rtpe_total 'Total relayed packet errors \(userspace\)')

last=$(tail -1 stat.csv)
f() { echo "$last" | awk -F';' -v i=$1 '{print $i}'; }
ok=$(f 16); failed=$(f 18)
uac_sent=$(grep -o '[0-9]* Total RTP pckts sent' uac_screen.log | tail -1 | awk '{print $1}')
uas_sent=$(grep -o '[0-9]* Total RTP pckts sent' uas_screen.log | tail -1 | awk '{print $1}')
sent=$(( ${uac_sent:-0} + ${uas_sent:-0} ))
relay=""
if [ -n "$rel0" ] && [ -n "$rel1" ] && [ $direct = 0 ]; then
  relayed=$(( rel1 - rel0 )); rerr=$(( err1 - err0 ))
  relay="rtpe_relayed=$relayed rtpe_errors=$rerr rtpe_loss_pct=$(awk -v s=$sent -v r=$relayed 'BEGIN{printf "%.4f", s? 100*(s-r)/s : 0}') rtpe_pps_mid=$pps_mid"
fi
echo "RESULT target=$target conc=$conc call_ms=$call_ms rate=$rate calls=$calls rc=$rc ok=$ok failed=$failed rtp_sent_uac=$uac_sent rtp_sent_uas=$uas_sent $relay relay_sockets_drops='$drops' cpu_server=$srv_cpu% cpu_server_each='${each% }' cpu_uac=$uac_cpu% cpu_uas=$uas_cpu% cpu_window_s=$wsec sys_busy_2cores=$sys_busy% cpu_pressure=$cpu_pressure% $cap" | tee result.txt
rm -f "$out/tone.pcmu"
