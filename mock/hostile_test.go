package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/openapi"
)

const okUser = `{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}`

func repeatJoin(item string, n int) string {
	var b strings.Builder
	b.Grow((len(item) + 1) * n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item)
	}
	return b.String()
}

// distinctKeys returns n properties with distinct names, "k0":0,"kx1":0,...
func distinctKeys(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + strings.Repeat("x", i%7) + strconv.Itoa(i) + `":"v"`)
	}
	return b.String()
}

// peakHeap runs f and returns the largest heap (live and unswept objects)
// seen above the heap before it, sampled every millisecond, and the bytes
// allocated meanwhile.
func peakHeap(f func()) (peak, allocated uint64) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(samples)
	base, allocBase := samples[0].Value.Uint64(), samples[1].Value.Uint64()
	var high atomic.Uint64
	observe := func(s []metrics.Sample) {
		metrics.Read(s[:1])
		if v := s[0].Value.Uint64(); v > high.Load() {
			high.Store(v)
		}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			observe(s)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	observe(samples)
	metrics.Read(samples[1:])
	return max(high.Load(), base) - base, samples[1].Value.Uint64() - allocBase
}

// TestHostileJSON sends bodies built to exhaust a validator. Each must get a
// clear 400 or 413 (or, for unknown properties the mock ignores, a 200),
// with an answer of bounded size. The peak heap is logged; its bound is
// generous (before the pre-scan, a million empty objects took 1.8 GB).
func TestHostileJSON(t *testing.T) {
	mb := strings.Repeat("a", 1<<20)
	user := func(extra string) string {
		return `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}` + extra + `}]}`
	}
	tests := []struct {
		name      string
		body      string
		defLimit  bool // keep the default 1 MiB body limit (else 64 MiB)
		strict    bool
		status    int
		field     string // a problem at field with rule, or the gateway code for 413
		rule      string
		maxAnswer int // bytes of headers and body
	}{
		{name: "million-element params, default limit", body: `{"params":[` + repeatJoin("0", 1e6) + `]}`, defLimit: true,
			status: 413, rule: "430"},
		{name: "million-element params", body: `{"params":[` + repeatJoin("0", 1e6) + `]}`, status: 400, field: "params", rule: "maxItems"},
		{name: "million empty objects in params", body: `{"params":[` + repeatJoin("{}", 1e6) + `]}`, status: 400, field: "params", rule: "maxItems"},
		{name: "100,000 valid users", body: `{"params":[` + repeatJoin(okUser, 1e5) + `]}`, status: 400, field: "params", rule: "maxItems"},
		{name: "million-element top-level array", body: `[` + repeatJoin("0", 1e6) + `]`, status: 400, field: "", rule: "type"},
		{name: "nesting 10,000 deep in params", body: `{"params":[` + strings.Repeat("[", 1e4) + strings.Repeat("]", 1e4) + `]}`,
			status: 400, field: "params[0]", rule: "type"},
		{name: "nesting 10,000 deep in an unknown property", body: user(`,"x":` + strings.Repeat(`{"a":`, 1e4) + "1" + strings.Repeat("}", 1e4)),
			status: 400, rule: openapi.RuleMaxDepth},
		{name: "nesting 100,000 deep", body: strings.Repeat("[", 1e5) + strings.Repeat("]", 1e5), status: 400, field: "", rule: "type"},
		{name: "1 MB string, default limit", body: user(`,"description":"` + mb + `"`), defLimit: true, status: 413, rule: "430"},
		{name: "1 MB loginId", body: `{"params":[{"loginId":"` + mb + `@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
			status: 400, field: "params[0].loginId", rule: "maxLength"},
		{name: "1 MB description", body: user(`,"description":"` + mb + `"`), status: 400, field: "params[0].description", rule: openapi.RuleMaxBytes},
		{name: "1 MB tag value", body: user(`,"tags":{"a":"` + mb + `"}`), status: 200},
		{name: "1 MB unknown property name", body: user(`,"` + mb + `":1`), status: 200},
		{name: "100,000 tags", body: user(`,"tags":{` + distinctKeys(1e5) + `}`), status: 400, field: "params[0].tags", rule: "maxProperties"},
		{name: "1,000 unknown properties", body: user("," + distinctKeys(1e3)), status: 200},
		{name: "1,000 unknown properties, strict", body: user("," + distinctKeys(1e3)), strict: true, status: 400,
			field: "", rule: openapi.RuleUnknownProperty, maxAnswer: 256 << 10},
		{name: "80,000 unknown properties", body: user("," + distinctKeys(8e4)), status: 400, rule: openapi.RuleMaxUndeclared},
		{name: "80,000 unknown properties, strict", body: user("," + distinctKeys(8e4)), strict: true, status: 400, rule: openapi.RuleMaxUndeclared},
		{name: "800 unknown properties in each of 100 users", body: `{"params":[` + repeatJoin(strings.TrimSuffix(okUser, "}")+","+distinctKeys(800)+"}", 100) + `]}`,
			status: 400, rule: openapi.RuleMaxUndeclared},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mock.Config{Seed: 1, MaxBodyBytes: 64 << 20, Strict: tc.strict}
			if tc.defLimit {
				cfg.MaxBodyBytes = 0
			}
			srv, err := mock.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			start := time.Now()
			peak, alloc := peakHeap(func() { srv.ServeHTTP(rec, req) })
			elapsed := time.Since(start)
			answer := rec.Body.Len()
			for k, vs := range rec.Header() {
				for _, v := range vs {
					answer += len(k) + len(v)
				}
			}
			t.Logf("%8d B body -> %d, %6d B answer, %v, peak heap +%d MiB, %d MiB allocated",
				len(tc.body), rec.Code, answer, elapsed.Round(time.Millisecond), peak>>20, alloc>>20)
			if rec.Code != tc.status {
				t.Fatalf("status: got %d, want %d: %.300s", rec.Code, tc.status, rec.Body.String())
			}
			if limit := max(tc.maxAnswer, 4<<10); answer > limit {
				t.Errorf("answer of %d bytes, want at most %d", answer, limit)
			}
			if peak > 256<<20 {
				t.Errorf("peak heap +%d MiB, want under 256 MiB", peak>>20)
			}
			checkHostileAnswer(t, tc.status, tc.field, tc.rule, rec.Body.Bytes())
		})
	}
}

func checkHostileAnswer(t *testing.T, status int, field, rule string, body []byte) {
	t.Helper()
	switch status {
	case http.StatusRequestEntityTooLarge:
		var e openapi.GatewayError
		if err := json.Unmarshal(body, &e); err != nil || e.Error.ErrorCode != rule {
			t.Errorf("got %s (%v), want gateway code %s", body, err, rule)
		}
	case http.StatusBadRequest:
		var e openapi.ErrorResponse
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatal(err)
		}
		for _, p := range e.FieldErrors {
			if p.Rule == rule && (field == "" || p.Field == field) {
				return
			}
		}
		t.Errorf("no %s problem at %q in %.500s", rule, field, body)
	}
}
