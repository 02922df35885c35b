package mock

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// DefaultLatencyCap bounds a drawn latency when LatencyFault.Cap is zero,
// unless the fault's Delay or Max is longer (then that is the cap).
const DefaultLatencyCap = 30 * time.Second

// DefaultLatencySigma is the log-normal spread when LatencyFault.Sigma is zero.
const DefaultLatencySigma = 0.5

// LatencyFault delays the answer; the request then goes on as usual. Set one
// of: Delay (fixed); Min and Max (uniform); Median and Sigma (log-normal, the
// shape of real service latencies). The wait ends early, without an answer,
// when the client leaves.
//
// Header: latency=200ms, latency; min=100ms; max=300ms,
// latency; median=150ms; sigma=0.8.
type LatencyFault struct {
	// Delay is a fixed latency.
	Delay Duration `json:"delay,omitempty" zero:"to add no latency, send no latency fault"`
	// Min and Max bound a uniformly drawn latency.
	Min Duration `json:"min,omitempty"`
	Max Duration `json:"max,omitempty" zero:"max bounds a uniform latency from above"`
	// Median and Sigma shape a log-normally drawn latency:
	// Median * e^(Sigma * N(0,1)); Sigma defaults to DefaultLatencySigma.
	Median Duration `json:"median,omitempty" zero:"a log-normal latency has a median above 0"`
	Sigma  float64  `json:"sigma,omitempty" zero:"leave it out for the default, 0.5"`
	// Cap bounds any drawn latency (the tail of a log-normal one); default
	// DefaultLatencyCap, or Delay or Max when longer. A Delay, Max or
	// Median above a Cap that is set is refused, never cut short.
	Cap Duration `json:"cap,omitempty" zero:"leave it out for the default, 30s"`
}

// Kind returns "latency".
func (*LatencyFault) Kind() string { return KindLatency }

func (f *LatencyFault) check() error {
	for _, d := range []struct {
		name string
		d    Duration
	}{{"delay", f.Delay}, {"min", f.Min}, {"max", f.Max}, {"median", f.Median}, {"cap", f.Cap}} {
		if err := checkDuration(d.name, d.d); err != nil {
			return err
		}
	}
	modes := 0
	for _, set := range []bool{f.Delay > 0, f.Min > 0 || f.Max > 0, f.Median > 0} {
		if set {
			modes++
		}
	}
	if modes != 1 {
		return errors.New("want exactly one of: delay; min and max; median (and sigma)")
	}
	if f.Max < f.Min {
		return fmt.Errorf("min %s, max %s: want 0 <= min <= max", time.Duration(f.Min), time.Duration(f.Max))
	}
	if f.Sigma < 0 || f.Sigma > 3 || f.Sigma > 0 && f.Median == 0 {
		return fmt.Errorf("sigma %v: want a number in (0, 3], with median", f.Sigma)
	}
	if f.Median > 0 && f.Sigma == 0 {
		f.Sigma = DefaultLatencySigma
	}
	// A latency asked for is a latency served: a cap never cuts a fixed
	// delay or a uniform range short without a word.
	set := f.Cap != 0
	if !set {
		f.Cap = max(Duration(DefaultLatencyCap), f.Delay, f.Max)
	}
	for _, d := range []struct {
		name string
		d    Duration
	}{{"delay", f.Delay}, {"max", f.Max}, {"median", f.Median}} {
		if d.d <= f.Cap {
			continue
		}
		if set {
			return fmt.Errorf("%s %s is over cap %s: raise cap or lower %s", d.name, time.Duration(d.d), time.Duration(f.Cap), d.name)
		}
		return fmt.Errorf("median %s is over the default cap %s: set cap (at most 10m) above it", time.Duration(d.d), time.Duration(f.Cap))
	}
	return nil
}

func (f *LatencyFault) apply(x *exchange) error {
	x.bufferBody() // read to the end, so that net/http notices a client leaving
	if f.Delay > 0 {
		return x.sleep(min(time.Duration(f.Delay), time.Duration(f.Cap)))
	}
	return x.sleep(f.draw(x.rand()))
}

// draw returns a latency drawn from the fault's distribution, capped.
func (f *LatencyFault) draw(r *rand.Rand) time.Duration {
	var d float64
	switch {
	case f.Median > 0:
		d = float64(f.Median) * math.Exp(f.Sigma*r.NormFloat64())
	case f.Delay > 0:
		d = float64(f.Delay)
	default:
		d = float64(f.Min) + r.Float64()*float64(f.Max-f.Min)
	}
	return time.Duration(min(d, float64(f.Cap)))
}
