package mock

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestLatencyDraws(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	uniform := &LatencyFault{Min: Duration(100 * time.Millisecond), Max: Duration(300 * time.Millisecond)}
	lognormal := &LatencyFault{Median: Duration(200 * time.Millisecond), Sigma: 1, Cap: Duration(time.Second)}
	for _, f := range []*LatencyFault{uniform, lognormal} {
		if err := f.check(); err != nil {
			t.Fatal(err)
		}
	}
	const n = 2000
	below, capped := 0, 0
	for range n {
		if d := uniform.draw(r); d < 100*time.Millisecond || d > 300*time.Millisecond {
			t.Fatalf("uniform: got %v, want 100ms to 300ms", d)
		}
		d := lognormal.draw(r)
		if d > time.Second {
			t.Fatalf("log-normal: got %v, want at most the 1s cap", d)
		}
		if d < 200*time.Millisecond {
			below++
		}
		if d == time.Second {
			capped++
		}
	}
	// Half the draws fall below the median: Binomial(n, 1/2), within 4.5 sd.
	if sd := math.Sqrt(n / 4.0); math.Abs(float64(below)-n/2) > 4.5*sd {
		t.Errorf("log-normal: %d of %d below the median, want %d ± %.0f", below, n, n/2, 4.5*sd)
	}
	// P(draw > 1s) = P(N > ln 5) ≈ 0.054 with sigma 1: those are capped.
	if p := 0.054; math.Abs(float64(capped)-n*p) > 4.5*math.Sqrt(n*p*(1-p)) {
		t.Errorf("log-normal: %d of %d capped, want about %.0f", capped, n, n*p)
	}
}

func TestLatencyIsSeeded(t *testing.T) {
	run := func(seed uint64) []time.Duration {
		s := newTestServer(t, Config{Seed: seed, Faults: []Rule{{Fault: &LatencyFault{Median: Duration(100 * time.Millisecond)}}}})
		var slept []time.Duration
		s.sleep = func(_ context.Context, d time.Duration) error {
			slept = append(slept, d)
			return nil
		}
		statuses(t, s, 20)
		return slept
	}
	a, b, c := run(9), run(9), run(10)
	if len(a) != 20 || !slices.Equal(a, b) {
		t.Fatalf("seed 9 twice: got\n%v\n%v\nwant the same 20 latencies", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatal("seeds 9 and 10 drew the same latencies")
	}
}

func TestLatencyFixedNeedsNoRandomness(t *testing.T) {
	s := newTestServer(t, Config{})
	s.sleep = func(context.Context, time.Duration) error { return nil }
	do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, "latency=10ms")
	if n := s.faultSeq.Load(); n != 0 {
		t.Fatalf("a fixed latency drew %d random streams, want 0", n)
	}
}
