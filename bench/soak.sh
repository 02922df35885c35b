#!/usr/bin/env bash
# Soak test: builds ncpmock and bench/soakload, starts ncpmock on loopback
# with a seed, an admin token and the probabilistic faults of
# bench/soak-faults.yaml, warms it up, then sends a minute of mixed valid,
# invalid and faulted traffic (header faults, trigger login IDs, rules) and
# compares the server's goroutines, live heap (GET /__admin/stats?gc=1) and
# resident memory (VmRSS from /proc) before and after. Each snapshot follows a
# POST /__admin/reset, so that the users the mock was told to create (it keeps
# them, by design) do not count as growth; their number is shown before the
# reset. It fails when the figures grew
# beyond the tolerances below, when the server's stderr shows a panic, when
# the load saw an unexpected outcome, or when SIGTERM does not stop it with
# exit 0. Not part of CI. Loopback only; bounded by DURATION.
#
# Usage: bench/soak.sh        Environment: DURATION (60s), WARMUP (10s),
# CONCURRENCY (16), SEED (1), RACE=1 to build ncpmock with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-60s} warmup=${WARMUP:-10s} concurrency=${CONCURRENCY:-16} seed=${SEED:-1}
# Tolerances, end against start (both after the warm-up, with no load).
max_goroutine_growth=5          # goroutines
max_heap_growth_pct=10          # live heap after a GC
max_heap_growth_floor_kb=1024   # ... or this much, whichever is larger
max_rss_growth_pct=20           # resident set
max_rss_growth_floor_kb=8192

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
race=()
[[ ${RACE:-} == 1 ]] && race=(-race)
go build "${race[@]}" -o "$tmp/ncpmock" ./cmd/ncpmock
go build -o "$tmp/soakload" ./bench/soakload

NCPMOCK_ADMIN_TOKEN="soak-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export NCPMOCK_ADMIN_TOKEN
coproc SRV { exec "$tmp/ncpmock" serve --addr 127.0.0.1:0 --seed "$seed" --faults bench/soak-faults.yaml \
	--log-format none --shutdown-timeout 5s 2>"$tmp/stderr"; }
pid=$SRV_PID
trap 'kill -TERM "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
read -r line <&"${SRV[0]}" # "ncpmock listening on URL ...": ready
url=$(awk '{print $4}' <<<"$line")
echo "ncpmock pid $pid on $url, seed $seed, faults bench/soak-faults.yaml"

stat_field() { grep -o "\"$1\":[0-9]*" <<<"$2" | cut -d: -f2; }
admin() { curl -sf -H "Authorization: Bearer $NCPMOCK_ADMIN_TOKEN" "$@"; }
# snapshot NAME: the server's figures with no load, after a reset, once its
# goroutine count has settled (connections the load left take a moment to close).
snapshot() {
	local s prev=-1 g i
	s=$(admin "$url/__admin/stats")
	printf -v "$1_users" %s "$(stat_field users "$s")"
	printf -v "$1_requests" %s "$(stat_field requests "$s")"
	admin -X POST "$url/__admin/reset" >/dev/null
	for i in $(seq 50); do
		s=$(admin "$url/__admin/stats?gc=1")
		g=$(stat_field goroutines "$s")
		[[ $g == "$prev" ]] && break
		prev=$g
		sleep 0.2
	done
	printf -v "$1_goroutines" %s "$g"
	printf -v "$1_heap_kb" %s $(($(stat_field heapAllocBytes "$s") / 1024))
	printf -v "$1_objects" %s "$(stat_field heapObjects "$s")"
	printf -v "$1_rss_kb" %s "$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
}

echo "warm-up: $warmup"
"$tmp/soakload" -url "$url" -duration "$warmup" -concurrency "$concurrency" -seed "$seed" >"$tmp/warmup.txt" || { cat "$tmp/warmup.txt"; exit 1; }
snapshot start
echo "soak: $duration"
load_rc=0
"$tmp/soakload" -url "$url" -duration "$duration" -concurrency "$concurrency" -seed $((seed + 1)) || load_rc=$?
snapshot end

kill -TERM "$pid"
server_rc=0
wait "$pid" || server_rc=$?
trap 'rm -rf "$tmp"' EXIT

printf '\n%-22s %12s %12s %8s\n' figure start end change
row() { printf '%-22s %12s %12s %+7d%%\n' "$1" "$2" "$3" $(((($3 - $2) * 100) / ($2 > 0 ? $2 : 1))); }
row "requests served" "$start_requests" "$end_requests"
row "users (before reset)" "$start_users" "$end_users"
row "goroutines" "$start_goroutines" "$end_goroutines"
row "live heap (KiB)" "$start_heap_kb" "$end_heap_kb"
row "heap objects" "$start_objects" "$end_objects"
row "RSS (KiB)" "$start_rss_kb" "$end_rss_kb"

fail=0
check() { if (($2)); then echo "ok:   $1"; else echo "FAIL: $1"; fail=1; fi; }
grow() { local a=$1 b=$2 pct=$3 floor=$4 allow; allow=$((a * pct / 100)); ((allow < floor)) && allow=$floor; ((b - a <= allow)); }
check "goroutines grew by at most $max_goroutine_growth" "end_goroutines - start_goroutines <= max_goroutine_growth"
check "live heap grew by at most ${max_heap_growth_pct}% (or ${max_heap_growth_floor_kb} KiB)" \
	"$(grow "$start_heap_kb" "$end_heap_kb" $max_heap_growth_pct $max_heap_growth_floor_kb && echo 1 || echo 0)"
if ((${#race[@]})); then # the race detector's own memory grows with the history it keeps
	echo "skip: RSS under the race detector"
else
	check "RSS grew by at most ${max_rss_growth_pct}% (or ${max_rss_growth_floor_kb} KiB)" \
		"$(grow "$start_rss_kb" "$end_rss_kb" $max_rss_growth_pct $max_rss_growth_floor_kb && echo 1 || echo 0)"
fi
panics=$(grep -ciE 'panic|fatal error|DATA RACE' "$tmp/stderr" || true)
check "no panic in the server's stderr ($panics lines; $(wc -l <"$tmp/stderr") lines in all)" "panics == 0"
check "the load saw no unexpected outcome" "load_rc == 0"
check "SIGTERM stopped the server with exit 0 (got $server_rc)" "server_rc == 0"
if ((fail)); then
	echo "--- server stderr (last 50 lines)"
	tail -50 "$tmp/stderr"
	exit 1
fi
