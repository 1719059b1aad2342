#!/usr/bin/env bash
# Captures the corpus's real samples on this machine (Debian 12, root): every case is a series of samples of
# one command, with the machine's state changed between samples (a CPU/memory load, tmpfs mounts, tap
# interfaces, processes, redis keys) so values change and rows come, go and move. Lines naming this
# sandbox's own mounts and processes are dropped (clean). Usage: capture.sh OUT_DIR CASE...  (cases: see the functions below)
# Needs: sysstat net-tools procps stress-ng redis-server iputils-ping, and the de_DE.UTF-8 locale.
set -euo pipefail
out=$1; shift
# Lines about this sandbox's own machinery (its mounts, its init and tool processes) stay out of the corpus.
clean() { grep -v -e sandboxing -e model_tools -e process_api -e binary_backend -e line_io_tools -e /dev/fd/ -e AWS_ || true; }
# The load is ended by its own pid (stress-ng's parent stops its workers), never by name.
load_pid=
load() { stress-ng --cpu 1 --vm 1 --vm-bytes "${1:-300M}" --timeout "${2:-20}s" >/dev/null 2>&1 & load_pid=$!; sleep "${3:-3}"; }
unload() { [ -n "$load_pid" ] && { kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; }; load_pid=; sleep 1; }
mnt() { mkdir -p "/mnt/$1"; mount -t tmpfs -o "size=$2" tmpfs "/mnt/$1"; }
umnt() { umount "/mnt/$1" 2>/dev/null || true; }
fill() { dd if=/dev/zero of="/mnt/$1/f$RANDOM" bs=1M count="$2" status=none; }
tap() { ip tuntap add dev "$1" mode tap && ip link set "$1" up; }
untap() { ip tuntap del dev "$1" mode tap 2>/dev/null || true; }

case_df() {  # rows added (mounts), removed (umount), moved (remount), widths (a 100 TiB tmpfs)
  local d=$1
  df -k | clean > "$d/1.txt"
  mnt kc1 64M; fill kc1 10; load 400M 10
  df -k | clean > "$d/2.txt"
  mnt kc2 2G; fill kc2 100; umnt kc1; mnt kc1 128M; fill kc1 3
  df -k | clean > "$d/3.txt"
  mnt kc3 100T; fill kc3 20; umnt kc2; unload
  df -k | clean > "$d/4.txt"
  umnt kc1; fill kc3 30
  df -k | clean > "$d/5.txt"
  umnt kc3
}
case_dfi() {
  local d=$1
  df -i | clean > "$d/1.txt"
  mnt ki1 64M; for i in $(seq 1 40); do touch /mnt/ki1/x$i; done
  df -i | clean > "$d/2.txt"
  mnt ki2 100G; for i in $(seq 1 2000); do : > /mnt/ki2/y$i; done; umnt ki1
  df -i | clean > "$d/3.txt"
  mnt ki1 64M; for i in $(seq 1 7); do touch /mnt/ki1/z$i; done; rm -f /mnt/ki2/y1*
  df -i | clean > "$d/4.txt"
  umnt ki2
  df -i | clean > "$d/5.txt"
  umnt ki1
}
case_free() {  # widths (-k), a row added (-t), a column split (-w), load
  local d=$1
  free -m > "$d/1.txt"
  load 800M 15
  free -m > "$d/2.txt"
  free -m -t > "$d/3.txt"
  unload; load 1500M 15
  free -k > "$d/4.txt"
  free -m -w > "$d/5.txt"
  unload
}
case_freeh() {
  local d=$1
  free -h > "$d/1.txt"; load 900M 15
  free -h -t > "$d/2.txt"; unload
  free -h -w > "$d/3.txt"; load 2G 15
  free -h > "$d/4.txt"; unload
  free -h -t > "$d/5.txt"
}
case_vmstat() {  # a row added (vmstat 1 2), widths (-w), units (-S M), columns swapped (-a)
  local d=$1
  vmstat > "$d/1.txt"; load 600M 15
  vmstat 1 2 > "$d/2.txt"
  vmstat -w > "$d/3.txt"; unload
  vmstat -S M > "$d/4.txt"
  vmstat -a > "$d/5.txt"
}
case_iostat() {  # rows added (ALL shows idle devices), widths (-k vs -m headers), load
  local d=$1
  iostat -x > "$d/1.txt"; load 300M 20; dd if=/dev/zero of=/var/tmp/kio bs=1M count=200 oflag=direct status=none
  iostat -x ALL > "$d/2.txt"
  iostat -x -k > "$d/3.txt"; rm -f /var/tmp/kio; unload
  iostat -x vda > "$d/4.txt"
  iostat -x ALL > "$d/5.txt"
}
case_ps() {  # sorted by CPU: rows move, come and go with the load
  local d=$1
  ps aux --sort=-%cpu | clean | head -15 > "$d/1.txt"
  load 500M 20; sleep 2
  ps aux --sort=-%cpu | clean | head -15 > "$d/2.txt"
  sleep 600 & local s=$!
  ps aux --sort=-%cpu | clean | head -12 > "$d/3.txt"
  unload
  ps aux --sort=-%cpu | clean | head -15 > "$d/4.txt"
  kill $s
  ps aux --sort=-%cpu | clean | head -18 > "$d/5.txt"
}
case_pscomm() {
  local d=$1
  ps -eo comm,pid,pcpu,pmem,rss --sort=-rss | clean | head -10 > "$d/1.txt"
  load 700M 20; sleep 2
  ps -eo comm,pid,pcpu,pmem,rss --sort=-rss | clean | head -10 > "$d/2.txt"
  unload
  ps -eo comm,pid,pcpu,pmem,rss --sort=-rss | clean | head -8 > "$d/3.txt"
  ps -eo comm,pid,pcpu,pmem,rss --sort=-rss | clean | head -12 > "$d/4.txt"
  ps -eo comm,pid,pcpu,pmem,rss --sort=-rss | clean | head -10 > "$d/5.txt"
}
case_top() {  # the header lines; the task rows below move
  local d=$1
  top -b -n 1 | clean | head -14 > "$d/1.txt"; load 500M 20
  top -b -n 1 | clean | head -14 > "$d/2.txt"
  top -b -n 1 -E g | clean | head -12 > "$d/3.txt"; unload
  top -b -n 1 | clean | head -16 > "$d/4.txt"
  top -b -n 1 -E k | clean | head -14 > "$d/5.txt"
}
case_uptime() {
  local d=$1
  uptime > "$d/1.txt"; load 300M 20 8
  uptime > "$d/2.txt"; sleep 5
  uptime > "$d/3.txt"; unload
  uptime > "$d/4.txt"
}
case_meminfo() {
  local d=$1
  cat /proc/meminfo > "$d/1.txt"; load 700M 15; sync
  cat /proc/meminfo > "$d/2.txt"; dd if=/dev/zero of=/var/tmp/kmem bs=1M count=300 status=none
  cat /proc/meminfo > "$d/3.txt"; unload; rm -f /var/tmp/kmem
  cat /proc/meminfo > "$d/4.txt"
  cat /proc/meminfo > "$d/5.txt"
}
case_netstat() {  # rows added (tap interfaces), removed, moved (re-created), traffic on lo
  local d=$1
  netstat -i > "$d/1.txt"
  tap ktapb; ping -c 3 -i 0.2 -q 127.0.0.1 >/dev/null
  netstat -i > "$d/2.txt"
  tap ktapa; untap ktapb; ping -c 20 -i 0.1 -q 127.0.0.1 >/dev/null
  netstat -i > "$d/3.txt"
  tap ktapb; ip link set ktapa mtu 9000
  netstat -i > "$d/4.txt"
  untap ktapa; untap ktapb; ping -s 1200 -c 5 -i 0.2 -q 127.0.0.1 >/dev/null
  netstat -i > "$d/5.txt"
}
case_procnetdev() {
  local d=$1
  cat /proc/net/dev > "$d/1.txt"; tap kpa
  ping -c 5 -i 0.2 -q 127.0.0.1 >/dev/null; cat /proc/net/dev > "$d/2.txt"
  tap kpb; untap kpa; cat /proc/net/dev > "$d/3.txt"
  ping -s 1000 -c 5 -i 0.2 -q 127.0.0.1 >/dev/null; cat /proc/net/dev > "$d/4.txt"
  untap kpb; cat /proc/net/dev > "$d/5.txt"
}
case_sar() {  # rows added (more intervals, per CPU), columns changed (ALL)
  local d=$1
  sar -u 1 3 > "$d/1.txt"; load 300M 20
  sar -u 1 2 > "$d/2.txt"
  sar -P ALL 1 2 > "$d/3.txt"; unload
  sar -u 1 4 > "$d/4.txt"
  sar -u ALL 1 2 > "$d/5.txt"
}
case_sardev() {
  local d=$1
  sar -n DEV 1 2 > "$d/1.txt"; tap ksa
  sar -n DEV 1 3 > "$d/2.txt" & ping -c 10 -i 0.2 -q 127.0.0.1 >/dev/null; wait
  untap ksa; sar -n DEV 1 1 > "$d/3.txt"
  tap ksb; sar -n DEV 1 2 > "$d/4.txt"; untap ksb
  sar -n DEV 1 2 > "$d/5.txt"
}
case_sar_de() {  # comma decimals, a dotted date, a German average label
  local d=$1
  LC_ALL=de_DE.UTF-8 sar -u 1 2 > "$d/1.txt"; load 300M 20
  LC_ALL=de_DE.UTF-8 sar -u 1 3 > "$d/2.txt"
  LC_ALL=de_DE.UTF-8 sar -r 1 2 > "$d/3.txt"; unload
  LC_ALL=de_DE.UTF-8 sar -u 1 1 > "$d/4.txt"
  LC_ALL=de_DE.UTF-8 sar -u ALL 1 2 > "$d/5.txt"
}
case_mpstat_de() {
  local d=$1
  LC_ALL=de_DE.UTF-8 mpstat -P ALL 1 1 > "$d/1.txt"; load 300M 20
  LC_ALL=de_DE.UTF-8 mpstat -P ALL 1 2 > "$d/2.txt"
  LC_ALL=de_DE.UTF-8 mpstat 1 1 > "$d/3.txt"; unload
  LC_ALL=de_DE.UTF-8 mpstat -P 1,0 1 1 > "$d/4.txt"
  LC_ALL=de_DE.UTF-8 mpstat -P ALL 1 1 > "$d/5.txt"
}
redis_up() { redis-server --port 6391 --bind 127.0.0.1 --save '' --daemonize yes >/dev/null; sleep 1; }
redis_down() { redis-cli -p 6391 shutdown nosave >/dev/null 2>&1 || true; }
rfill() { redis-cli -p 6391 eval "for i=1,$1 do redis.call('set','k'..i, string.rep('x', $2)) end" 0 >/dev/null; }
case_redis() {  # key:value lines with CRLF ends; sections added and removed
  local d=$1
  redis_up
  redis-cli -p 6391 info memory > "$d/1.txt"; rfill 2000 100
  redis-cli -p 6391 info memory > "$d/2.txt"; rfill 20000 300
  { redis-cli -p 6391 info clients; redis-cli -p 6391 info memory; } > "$d/3.txt"; redis-cli -p 6391 flushall >/dev/null
  redis-cli -p 6391 info memory > "$d/4.txt"; rfill 5000 50
  { redis-cli -p 6391 info memory; redis-cli -p 6391 info stats; } > "$d/5.txt"
  redis_down
}
case_redisstats() {
  local d=$1
  redis_up
  redis-cli -p 6391 info stats > "$d/1.txt"; rfill 100 10
  redis-cli -p 6391 info stats > "$d/2.txt"; rfill 1000 10; redis-cli -p 6391 get nokey >/dev/null
  redis-cli -p 6391 info stats > "$d/3.txt"; rfill 10 10
  { redis-cli -p 6391 info server | grep -e uptime -e process_id; redis-cli -p 6391 info stats; } > "$d/4.txt"
  redis-cli -p 6391 info stats > "$d/5.txt"
  redis_down
}
case_procstatus() {  # key:\tvalue lines of one process as it grows
  local d=$1
  python3 -c 'import time,sys; a=[]; [ (a.append(bytearray(40_000_000)), time.sleep(2)) for _ in range(8)]' & local p=$!
  sleep 0.5; cat /proc/$p/status > "$d/1.txt"; sleep 2
  cat /proc/$p/status > "$d/2.txt"; sleep 2
  cat /proc/$p/status > "$d/3.txt"; sleep 2
  cat /proc/$p/status > "$d/4.txt"; sleep 4
  cat /proc/$p/status > "$d/5.txt"
  wait $p || true
}
case_loadavg() {  # one line, no words: values known only by their place
  local d=$1
  cat /proc/loadavg > "$d/1.txt"; load 300M 20 6
  cat /proc/loadavg > "$d/2.txt"; sleep 4
  cat /proc/loadavg > "$d/3.txt"; unload; sleep 2
  cat /proc/loadavg > "$d/4.txt"
  cat /proc/loadavg > "$d/5.txt"
}
case_ping() {  # a two-line summary: counts, a percentage, a duration in ms, slash-separated times
  local d=$1
  ping -c 3 -i 0.2 -q 127.0.0.1 | tail -2 > "$d/1.txt"
  ping -c 8 -i 0.2 -q 127.0.0.1 | tail -2 > "$d/2.txt"
  ping -s 1400 -c 5 -i 0.2 -q 127.0.0.1 | tail -2 > "$d/3.txt"
  ping -c 12 -i 0.1 -q 127.0.0.1 | tail -2 > "$d/4.txt"
  ping -c 2 -i 0.3 -q 127.0.0.1 | tail -2 > "$d/5.txt"
}
case_dd() {  # dd's one-line summary, units changing with the size
  local d=$1
  for n in 1 2 3 4 5; do
    dd if=/dev/zero of=/dev/null bs=$((n * n * 512))K count=$((n * 30)) 2>&1 | tail -1 > "$d/$n.txt"
  done
}
for c in "$@"; do
  mkdir -p "$out/$c"
  "case_${c//-/_}" "$out/$c"
  echo "captured $c: $(ls "$out/$c" | wc -l) samples"
done
