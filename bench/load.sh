#!/usr/bin/env bash
# bench/load.sh: throughput, memory and start-up of ncpmock, measured against a
# bare Echo server (bench/baseline: reads the body, answers a fixed 200) on the
# same machine in the same run, on loopback, with wrk. Not part of go test or CI.
#
# usage: bench/load.sh [-d SECONDS] [-r ROUNDS] [-c CONNECTIONS] [--reference] [--prism]
#   -d          length of each wrk run (default 5)
#   -r          rounds; each round runs every server once per body, in turn (default 3)
#   -c          wrk connections (default 32; one wrk thread)
#   --reference also measure ncpmock --reference-validator (kin-openapi alone)
#   --prism     also measure Stoplight Prism (npm install in a temporary directory)
#
# ncpmock runs as a user would run it: validation, the in-memory store and the
# text access log (to a file) on. "same-answer" is the bare Echo server again,
# answering each body with the very bytes and status ncpmock answers it with
# (recorded before the runs): what reading the body and sending that answer
# cost, without validating or storing anything. Each ncpmock run starts with POST
# /__admin/reset; its body then creates its users once and every later request
# gets the per-user "Duplicate login ID." answer, so the store stays small and
# the run measures the path of a retried or replayed batch. new-100 is the
# other path: the same body with new login IDs in every request, as a load
# test of generated users sends; ncpmock creates them all, its store fills to
# --max-users and then forgets the oldest. Besides requests/s the script
# prints each server's CPU time a request (from /proc, over each wrk run).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=5 rounds=3 conns=32 reference=0 prism=0
while [ $# -gt 0 ]; do
	case "$1" in
	-d) duration=$2; shift 2 ;;
	-r) rounds=$2; shift 2 ;;
	-c) conns=$2; shift 2 ;;
	--reference) reference=1; shift ;;
	--prism) prism=1; shift ;;
	*) echo "usage: $0 [-d SECONDS] [-r ROUNDS] [-c CONNECTIONS] [--reference] [--prism]" >&2; exit 2 ;;
	esac
done

if ! command -v wrk >/dev/null; then
	echo "installing wrk (Debian package)..." >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get install -y wrk >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi

work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# Both servers are built as static binaries (CGO_ENABLED=0), as the README's
# build line makes ncpmock: a binary linked with the C library has that
# library's pages resident too (about 1.8 MB more at idle).
CGO_ENABLED=0 go build -o "$work/ncpmock" ./cmd/ncpmock
CGO_ENABLED=0 go build -o "$work/baseline" ./bench/baseline
go build -o "$work/benchtool" ./bench/benchtool
"$work/benchtool" bodies "$work"
bt="$work/benchtool"

# new-100 is valid-100 with new login IDs in every request (n<count>. before
# each), as a load test of fresh generated users sends: the answer is the
# created users' IDs and NRNs, and ncpmock's store fills and then forgets
# the users created first (--max-users).
cat >"$work/new-100.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-ncp-iam-access-key"] = "LOADTESTACCESSKEY"
wrk.headers["x-ncp-apigw-timestamp"] = "1700000000000"
wrk.headers["x-ncp-apigw-signature-v2"] = "bG9hZHRlc3Q="
local f = assert(io.open("$work/valid-100.json", "rb"))
local body = f:read("*all")
f:close()
local marker = '"loginId":"'
local parts, from = {}, 1
while true do
	local at = body:find(marker, from, true)
	if not at then break end
	parts[#parts + 1] = body:sub(from, at + #marker - 1)
	from = at + #marker
end
parts[#parts + 1] = body:sub(from)
local n = 0
request = function()
	local out = {}
	for i = 1, #parts - 1 do
		n = n + 1
		out[#out + 1] = parts[i] .. "n" .. n .. "."
	end
	out[#out + 1] = parts[#parts]
	return wrk.format(nil, nil, nil, table.concat(out))
end
EOF

for body in valid-100 valid-1 invalid-100; do
	cat >"$work/$body.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- Prism checks that the spec's API Gateway headers are present.
wrk.headers["x-ncp-iam-access-key"] = "LOADTESTACCESSKEY"
wrk.headers["x-ncp-apigw-timestamp"] = "1700000000000"
wrk.headers["x-ncp-apigw-signature-v2"] = "bG9hZHRlc3Q="
local f = assert(io.open("$work/$body.json", "rb"))
wrk.body = f:read("*all")
f:close()
EOF
done

rss_kb() { awk -v f="$2" '$1 == f":" {print $2}' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb / 1024}'; }
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
minmax() { sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s-%s", lo, hi}'; }

# Start-up: process start to the first 200 from /healthz, five times each.
startup() { # name cmd...
	local name=$1 port ms all=()
	shift
	for _ in 1 2 3 4 5; do
		port=$("$bt" port)
		ms=$("$bt" startup "http://127.0.0.1:$port/healthz" "$@" --addr "127.0.0.1:$port")
		all+=("$ms")
	done
	printf '%s\n' "${all[@]}" >"$work/startup-$name"
}
startup ncpmock "$work/ncpmock" serve --log-format none
startup baseline "$work/baseline"

# The servers under load.
start() { # name cmd...
	local name=$1 port
	shift
	port=$("$bt" port)
	"$@" --addr "127.0.0.1:$port" >"$work/$name.out" 2>"$work/$name.log" &
	pids+=($!)
	echo "$!" >"$work/$name.pid"
	echo "http://127.0.0.1:$port" >"$work/$name.url"
	"$bt" wait "http://127.0.0.1:$port/healthz"
}
start baseline "$work/baseline"
start ncpmock "$work/ncpmock" serve --seed 1 --log-format text
servers=(baseline ncpmock same-answer)
if [ "$reference" = 1 ]; then
	start reference "$work/ncpmock" serve --seed 1 --log-format text --reference-validator
	servers+=(reference)
fi
if [ "$prism" = 1 ]; then
	echo "installing Stoplight Prism (npm)..." >&2
	npm install --silent --prefix "$work/prism" @stoplight/prism-cli >/dev/null 2>&1
	port=$("$bt" port)
	"$work/prism/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$port" openapi/users-bulk.yaml >"$work/prism.log" 2>&1 &
	pids+=($!)
	echo "$!" >"$work/prism.pid"
	echo "http://127.0.0.1:$port" >"$work/prism.url"
	for _ in $(seq 100); do grep -q "Prism is listening" "$work/prism.log" && break; sleep 0.2; done
	servers+=(prism)
fi
sleep 1
idle_kb=$(rss_kb "$(cat "$work/ncpmock.pid")" VmRSS)

# The same-answer servers, one a body, answering what ncpmock answers.
for body in valid-100 valid-1 invalid-100; do
	status=$("$bt" answer "$(cat "$work/ncpmock.url")/api/v1/users/bulk" "$work/$body.json" "$work/answer-$body.json")
	start "same-answer-$body" "$work/baseline" --answer "$work/answer-$body.json" --status "$status"
done
# For new-100, the answer of users created: the first post after a reset.
"$bt" post "$(cat "$work/ncpmock.url")/__admin/reset"
status=$("$bt" answer "$(cat "$work/ncpmock.url")/api/v1/users/bulk" "$work/valid-100.json" "$work/answer-new-100.json" --first)
start same-answer-new-100 "$work/baseline" --answer "$work/answer-new-100.json" --status "$status"

path_of() { # server
	case "$1" in
	prism) echo /users/bulk ;;
	*) echo /api/v1/users/bulk ;;
	esac
}

echo "wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), 1 thread, $conns connections, ${duration}s runs, $rounds rounds; $(nproc) CPUs; $(go version | awk '{print $3}')"
url_of() { # server body
	case "$1" in
	same-answer) cat "$work/same-answer-$2.url" ;;
	*) cat "$work/$1.url" ;;
	esac
}

# CPU time (user + system) of a server process, in clock ticks: read before
# and after each run, divided by the requests wrk counted, it gives the
# server's CPU time a request, which drifts less than requests/s on a shared
# machine.
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pid_of() { # server body
	case "$1" in
	same-answer) echo "same-answer-$2" ;;
	*) echo "$1" ;;
	esac
}

# Runs the rounds of the given bodies: in each round, each body, each server
# in turn.
run_rounds() { # body...
	local round body server url pid cpu0 cpu1 out rps reqs non2xx us b
	for round in $(seq "$rounds"); do
		for body in "$@"; do
			for server in "${servers[@]}"; do
				url=$(url_of "$server" "$body")
				case "$server" in ncpmock | reference) "$bt" post "$url/__admin/reset" ;; esac
				pid=$(cat "$work/$(pid_of "$server" "$body").pid")
				cpu0=$(cpu_ticks "$pid")
				out=$(wrk -t1 -c"$conns" -d"${duration}s" -s "$work/$body.lua" "$url$(path_of "$server")")
				cpu1=$(cpu_ticks "$pid")
				rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
				reqs=$(echo "$out" | awk '/ requests in / {print $1}')
				non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
				us=$(awk -v t="$((cpu1 - cpu0))" -v hz="$hz" -v n="$reqs" 'BEGIN {printf "%.1f", 1e6 * t / hz / n}')
				echo "$rps" >>"$work/rps-$body-$server"
				echo "$us" >>"$work/cpu-$body-$server"
				printf 'round %s  %-11s  %-11s  %9.0f req/s  %6s us CPU a request%s\n' "$round" "$body" "$server" "$rps" "$us" "${non2xx:+  ($non2xx non-2xx)}"
			done
			b=$(tail -1 "$work/rps-$body-baseline")
			for server in "${servers[@]:1}"; do
				awk -v s="$(tail -1 "$work/rps-$body-$server")" -v b="$b" 'BEGIN {printf "%.1f\n", 100 * s / b}' >>"$work/ratio-$body-$server"
			done
			awk -v s="$(tail -1 "$work/rps-$body-ncpmock")" -v b="$(tail -1 "$work/rps-$body-same-answer")" \
				'BEGIN {printf "%.1f\n", 100 * s / b}' >>"$work/ratio-$body-ncpmock-same"
		done
	done
}
# The bodies sent again and again first, then new-100, whose store grows to
# its limit: each has its own peak of resident memory.
run_rounds valid-100 valid-1 invalid-100
peak_kb=$(rss_kb "$(cat "$work/ncpmock.pid")" VmHWM)
after_kb=$(rss_kb "$(cat "$work/ncpmock.pid")" VmRSS)
run_rounds new-100
peak_new_kb=$(rss_kb "$(cat "$work/ncpmock.pid")" VmHWM)
bodies=(valid-100 valid-1 invalid-100 new-100)
size_of() { # body
	case "$1" in
	new-100) echo "valid-100, new login IDs" ;;
	*) echo "$(wc -c <"$work/$1.json") B" ;;
	esac
}

echo
printf '| body | baseline req/s | %s |\n' "$(for s in "${servers[@]:1}"; do printf '%s req/s | %s / baseline | ' "$s" "$s"; done | sed 's/ | $//')"
printf '|---|---:|%s\n' "$(for _ in "${servers[@]:1}"; do printf -- '---:|---:|'; done)"
for body in "${bodies[@]}"; do
	row="| $body ($(size_of "$body")) | $(median <"$work/rps-$body-baseline" | xargs printf '%.0f')"
	for server in "${servers[@]:1}"; do
		row+=" | $(median <"$work/rps-$body-$server" | xargs printf '%.0f')"
		row+=" | $(median <"$work/ratio-$body-$server")% ($(minmax <"$work/ratio-$body-$server")%)"
	done
	echo "$row |"
done
echo
echo "ratios: median of the rounds' ratios (min-max); each round runs the servers in turn for ${duration}s"
echo
echo "server CPU time a request (user + system, us; median of the rounds, min-max):"
for body in "${bodies[@]}"; do
	line="  $body:"
	for server in "${servers[@]}"; do
		line+=" $server $(median <"$work/cpu-$body-$server") ($(minmax <"$work/cpu-$body-$server"));"
	done
	echo "${line%;}"
done
echo
echo "ncpmock / same-answer (the bare server sending ncpmock's answer):"
for body in "${bodies[@]}"; do
	echo "  $body: $(median <"$work/ratio-$body-ncpmock-same")% ($(minmax <"$work/ratio-$body-ncpmock-same")%); answer $(wc -c <"$work/answer-$body.json") B"
done
echo "ncpmock RSS: idle after start $(mb "$idle_kb") MB; peak under load (VmHWM) $(mb "$peak_kb") MB; after the load $(mb "$after_kb") MB; peak once new-100 had filled the store $(mb "$peak_new_kb") MB"
if [ "$prism" = 1 ]; then
	version=$(awk -F'"' '$2 == "version" {print $4; exit}' "$work/prism/node_modules/@stoplight/prism-cli/package.json")
	echo "prism $version RSS: peak (VmHWM) $(mb "$(rss_kb "$(cat "$work/prism.pid")" VmHWM)") MB"
fi
echo "start-up to a 200 from /healthz: ncpmock $(median <"$work/startup-ncpmock") ms ($(minmax <"$work/startup-ncpmock") ms), baseline $(median <"$work/startup-baseline") ms, median of 5"
echo "access log written by ncpmock: $(wc -l <"$work/ncpmock.log") lines"
