#!/usr/bin/env bash
# Sends hostile JSON bodies to a running "ncpmock serve" on loopback and
# reports, for each, the status, answer size and time, and at the end the
# server's peak memory (maximum resident set size, from /usr/bin/time -v).
# Not part of CI. Usage: bench/hostile.sh [path/to/ncpmock]   (default: built from this tree)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bin=${1:-}
if [[ -z $bin ]]; then
	bin=$tmp/ncpmock
	go build -o "$bin" ./cmd/ncpmock
fi

# Bodies: built with shell tools only.
user='{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}'
repeat() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s%s", (i ? "," : ""), s }'; } # n copies of $1, comma-separated
{ printf '{"params":['; repeat 0 1000000; printf ']}'; } >"$tmp/million-numbers.json"
{ printf '{"params":['; repeat '{}' 1000000; printf ']}'; } >"$tmp/million-objects.json"
{ printf '['; repeat 0 1000000; printf ']'; } >"$tmp/million-top-level.json"
{ printf '{"params":['; repeat "$user" 100000; printf ']}'; } >"$tmp/100k-users.json"
{ printf '{"params":['; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]" }'; printf ']}'; } >"$tmp/nesting-10k.json"
mb=$(awk 'BEGIN { for (i = 0; i < 1048576; i++) printf "a" }')
printf '{"params":[{"loginId":"%s@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}' "$mb" >"$tmp/1mb-loginid.json"
printf '{"params":[%s],"%s":1}' "$user" "$mb" >"$tmp/1mb-property-name.json"
{ printf '{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false},"tags":{'
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%s\"k%d\":\"v\"", (i ? "," : ""), i }'; printf '}}]}'; } >"$tmp/100k-tags.json"
{ printf '{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}'
  awk 'BEGIN { for (i = 0; i < 80000; i++) printf ",\"k%d\":1", i }'; printf '}]}'; } >"$tmp/80k-unknown-keys.json"

coproc SRV { exec /usr/bin/time -v -o "$tmp/time" "$bin" serve --addr 127.0.0.1:0 --log-format none --max-body-bytes 67108864 --seed 1; }
read -r line <&"${SRV[0]}" # "ncpmock listening on URL ...": ready
url=$(awk '{print $4}' <<<"$line")
ncpmock_pid=$(pgrep -P "$SRV_PID")
trap 'kill -TERM "$ncpmock_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

printf '%-20s %9s %6s %10s %8s\n' body bytes status answer seconds
for f in million-numbers million-objects million-top-level 100k-users nesting-10k 1mb-loginid 1mb-property-name 100k-tags 80k-unknown-keys; do
	rc=0
	out=$(curl -s -o "$tmp/answer" -w '%{http_code} %{size_download} %{size_header} %{time_total}' \
		-H 'Content-Type: application/json' --data-binary @"$tmp/$f.json" "$url/api/v1/users/bulk") || rc=$?
	if ((rc == 0)); then
		read -r status size header secs <<<"$out"
		printf '%-20s %9d %6s %10d %8s\n' "$f" "$(stat -c %s "$tmp/$f.json")" "$status" $((size + header)) "$secs"
	else
		printf '%-20s %9d  curl failed (exit %d): the answer could not be read\n' "$f" "$(stat -c %s "$tmp/$f.json")" "$rc"
	fi
done
kill -TERM "$ncpmock_pid"
wait "$SRV_PID" || true
trap 'rm -rf "$tmp"' EXIT
grep -E 'Maximum resident set size' "$tmp/time"
