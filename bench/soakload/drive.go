package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	defaultDuration = 60 * time.Second
	defaultTimeout  = 10 * time.Second
	maxDuration     = 10 * time.Minute
	maxConcurrency  = 256
)

type config struct {
	url         string
	duration    time.Duration
	concurrency int
	seed        uint64
	timeout     time.Duration
	adminToken  string
}

// check keeps the load bounded and on this machine.
func (c config) check() error {
	u, err := url.Parse(c.url)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("-url %q: want http://host:port", c.url)
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil || len(ips) == 0 || !ips[0].IsLoopback() {
		return fmt.Errorf("-url %q: want a loopback address; soakload loads only this machine", c.url)
	}
	if c.duration <= 0 || c.duration > maxDuration {
		return fmt.Errorf("-duration %s: want more than 0, at most %s", c.duration, maxDuration)
	}
	if c.concurrency < 1 || c.concurrency > maxConcurrency {
		return fmt.Errorf("-concurrency %d: want 1 to %d", c.concurrency, maxConcurrency)
	}
	return nil
}

// tally counts outcomes per kind of request ("valid", "fault reset" ...).
type tally struct {
	mu      sync.Mutex
	counts  map[string]map[string]int
	total   int
	elapsed time.Duration
}

func (t *tally) add(kind, outcome string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts[kind] == nil {
		t.counts[kind] = make(map[string]int)
	}
	t.counts[kind][outcome]++
	t.total++
}

// unexpected counts outcomes that no fault explains: client timeouts and
// errors other than the ones faults cause on purpose.
func (t *tally) unexpected() int {
	n := 0
	for _, outcomes := range t.counts {
		for o, c := range outcomes {
			if o == "timeout" || strings.HasPrefix(o, "error") {
				n += c
			}
		}
	}
	return n
}

func (t *tally) print(w io.Writer, c config) {
	fmt.Fprintf(w, "soakload: %d requests in %s (%.0f/s), concurrency %d, seed %d\n",
		t.total, t.elapsed.Round(time.Millisecond), float64(t.total)/t.elapsed.Seconds(), c.concurrency, c.seed)
	for _, kind := range slices.Sorted(maps.Keys(t.counts)) {
		outcomes := t.counts[kind]
		parts := make([]string, 0, len(outcomes))
		for _, o := range slices.Sorted(maps.Keys(outcomes)) {
			parts = append(parts, fmt.Sprintf("%s x%d", o, outcomes[o]))
		}
		fmt.Fprintf(w, "  %-34s %s\n", kind, strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "  unexpected outcomes: %d\n", t.unexpected())
}

// drive runs c.concurrency workers until c.duration has passed or ctx ends,
// and waits for their last requests.
func drive(ctx context.Context, c config, m *mix) *tally {
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: c.concurrency, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: c.timeout}
	t := &tally{counts: make(map[string]map[string]int)}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range c.concurrency {
		r := rand.New(rand.NewPCG(c.seed, uint64(w)))
		wg.Go(func() {
			for ctx.Err() == nil {
				req := m.pick(r)
				t.add(req.kind, send(client, c, req))
			}
		})
	}
	wg.Wait()
	t.elapsed = time.Since(start)
	return t
}

// send sends one request (not tied to the run's context, so that the last
// ones finish) and reads its whole answer.
func send(client *http.Client, c config, rq request) string {
	req, err := http.NewRequest(rq.method, c.url+rq.path, bytes.NewReader(rq.body))
	if err != nil {
		return "error: " + err.Error()
	}
	for k, v := range rq.header {
		req.Header[k] = v
	}
	if strings.HasPrefix(rq.path, "/__admin/") && c.adminToken != "" {
		req.Header.Set("Authorization", "Bearer "+c.adminToken)
	}
	resp, err := client.Do(req)
	if err != nil {
		return classify(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Sprintf("%d, body %s", resp.StatusCode, classify(err))
	}
	return fmt.Sprint(resp.StatusCode)
}

// classify names the error a client saw, in the words of the fault table.
func classify(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	case errors.Is(err, io.EOF):
		return "EOF"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "malformed HTTP"):
		return "malformed"
	}
	msg := err.Error()
	if len(msg) > 80 {
		msg = msg[:80] + "..."
	}
	return "error: " + msg
}

// healthy checks that the server still answers.
func healthy(c config) error {
	client := &http.Client{Timeout: c.timeout}
	resp, err := client.Get(c.url + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /healthz: %s", resp.Status)
	}
	return nil
}
