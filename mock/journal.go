package mock

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

// DefaultJournalSize is how many requests the journal keeps when
// Config.JournalSize is zero.
const DefaultJournalSize = 1000

// DefaultJournalBodyBytes is how much of a request body the journal keeps
// when Config.JournalBodyBytes is zero: a 100-user body is about 30 KB, so
// a 1000-request journal of them takes 4 MB rather than 30.
const DefaultJournalBodyBytes = 4096

// redacted replaces the value of a secret header in the journal.
const redacted = "[REDACTED]"

// JournalEntry is one request in the journal.
type JournalEntry struct {
	// Seq numbers the requests recorded since the start or the last reset, from 1.
	Seq uint64 `json:"seq"`
	// Time is when the mock began handling the request.
	Time time.Time `json:"time"`
	// Method is the request's method.
	Method string `json:"method"`
	// Path is the request's path, unescaped.
	Path string `json:"path"`
	// Query is the request's query as sent, without the "?"; empty when
	// there was none.
	Query string `json:"query,omitempty"`
	// TraceID is the x-ncp-trace-id the answer carried (HeaderTraceID);
	// empty when it had none.
	TraceID string `json:"traceId,omitempty"`
	// Headers are the request headers, secrets replaced with "[REDACTED]".
	Headers map[string]string `json:"headers,omitempty"`
	// Body is the request body, cut after Config.JournalBodyBytes bytes
	// (BodyTruncated).
	Body string `json:"body,omitempty"`
	// BodyBytes is the length of the request body as far as the mock read
	// it: the whole body, unless it was over Config.MaxBodyBytes or the
	// client stopped sending it.
	BodyBytes int `json:"bodyBytes"`
	// BodyTruncated is true when Body holds less than BodyBytes.
	BodyTruncated bool `json:"bodyTruncated,omitempty"`
	// Status is the HTTP status answered; 0 when a fault closed the
	// connection without an answer, 499 when the client left first.
	Status int `json:"status"`
	// Duration is from Time to the end of the answer (or of the
	// connection, for a fault that closed it); in the JSON, a string such
	// as "1.2ms".
	Duration Duration `json:"duration"`
	// Problems are the validation problems of an invalid request.
	Problems []openapi.Problem `json:"problems,omitempty"`
	// Faults are the faults applied, in order.
	Faults []AppliedFault `json:"faults,omitempty"`
}

// JournalFilter selects journal entries; the zero filter selects all.
type JournalFilter struct {
	// Path selects entries with this path; a trailing "*" makes it a prefix.
	Path string
	// Status selects entries with this status. StatusSet makes 0 select
	// the entries with no answer (a fault closed the connection); without
	// it, 0 selects nothing by status.
	Status    int
	StatusSet bool
	// StatusClass selects entries with status in [StatusClass*100, StatusClass*100+99] (1 to 5).
	StatusClass int
	// Fault selects entries where a fault of this kind was applied.
	Fault string
	// Limit is the most entries returned, newest first; 0 (or less) means all.
	Limit int
}

// journal is a bounded ring of the last requests. Recording copies into
// slots that keep their buffers, so it allocates nothing once warm.
type journal struct {
	mu        sync.Mutex
	slots     []journalSlot
	bodyBytes int    // of each body kept
	next      int    // slot to write next
	seq       uint64 // requests recorded
}

type journalSlot struct {
	seq      uint64
	time     time.Time
	method   string
	path     string
	query    string
	traceID  string
	header   http.Header // the request's own map: never written after the request
	body     []byte      // owned, reused
	bodyLen  int
	status   int
	duration time.Duration
	problems []openapi.Problem
	faults   []AppliedFault // owned, reused
}

func newJournal(size, bodyBytes int) *journal {
	if size <= 0 {
		return nil
	}
	return &journal{slots: make([]journalSlot, size), bodyBytes: bodyBytes}
}

// record adds x's request to the journal.
func (j *journal) record(x *exchange, status int, d time.Duration, problems []openapi.Problem) {
	if j == nil {
		return
	}
	r := x.Request()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	s := &j.slots[j.next]
	j.next = (j.next + 1) % len(j.slots)
	s.seq, s.time, s.method, s.path, s.query = j.seq, x.start, r.Method, r.URL.Path, r.URL.RawQuery
	s.traceID = firstValue(x.Response().Header(), HeaderTraceID)
	s.header, s.status, s.duration, s.problems = r.Header, status, d, problems
	s.bodyLen = len(x.body)
	s.body = append(s.body[:0], x.body[:min(len(x.body), j.bodyBytes)]...)
	s.faults = append(s.faults[:0], x.applied...)
}

// firstValue is Header.Get for a canonical key, without allocating.
func firstValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// entries returns the entries f selects, newest first.
func (j *journal) entries(f JournalFilter) []JournalEntry {
	out := []JournalEntry{}
	if j == nil {
		return out
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	n := len(j.slots)
	for i := 1; i <= n && (f.Limit <= 0 || len(out) < f.Limit); i++ {
		s := &j.slots[(j.next-i+n)%n]
		if s.seq == 0 {
			break
		}
		if f.selects(s) {
			out = append(out, s.entry())
		}
	}
	return out
}

// total returns how many requests were recorded since the start or reset.
func (j *journal) total() uint64 {
	if j == nil {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seq
}

func (j *journal) reset() {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.slots)
	j.next, j.seq = 0, 0
}

func (f JournalFilter) selects(s *journalSlot) bool {
	if f.Path != "" {
		p, prefix := strings.CutSuffix(f.Path, "*")
		if s.path != p && !(prefix && strings.HasPrefix(s.path, p)) {
			return false
		}
	}
	if (f.StatusSet || f.Status != 0) && s.status != f.Status || f.StatusClass != 0 && s.status/100 != f.StatusClass {
		return false
	}
	return f.Fault == "" || slices.ContainsFunc(s.faults, func(a AppliedFault) bool { return a.Kind == f.Fault })
}

func (s *journalSlot) entry() JournalEntry {
	return JournalEntry{
		Seq: s.seq, Time: s.time, Method: s.method, Path: s.path, Query: s.query, TraceID: s.traceID,
		Headers: redactHeaders(s.header), Body: string(s.body), BodyBytes: s.bodyLen,
		BodyTruncated: s.bodyLen > len(s.body), Status: s.status, Duration: Duration(s.duration),
		Problems: s.problems, Faults: slices.Clone(s.faults),
	}
}

// redactHeaders flattens a request's headers, hiding the values of secrets.
func redactHeaders(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for name, values := range h {
		if isSecretHeader(name) {
			out[name] = redacted
		} else {
			out[name] = strings.Join(values, ", ")
		}
	}
	return out
}

// isSecretHeader reports whether a header may carry a secret: NCP's access
// key and signature, ncpmock's admin token, and any name that looks like
// authentication, a cookie or a key.
func isSecretHeader(name string) bool {
	n := strings.ToLower(name)
	for _, word := range []string{"auth", "cookie", "secret", "token", "passw", "signature", "credential", "session", "access-key", "api-key", "apikey", "private"} {
		if strings.Contains(n, word) {
			return true
		}
	}
	return false
}
