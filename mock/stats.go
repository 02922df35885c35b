package mock

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// PathAdminStats is the admin endpoint of Stats.
const PathAdminStats = "/__admin/stats"

// Stats is a snapshot of what a Server has done and what its process costs,
// the body of GET /__admin/stats: a mock left running can be watched for
// growth.
type Stats struct {
	// Uptime is the time since New.
	Uptime Duration `json:"uptime"`
	// UptimeSeconds is Uptime in seconds, for programs.
	UptimeSeconds float64 `json:"uptimeSeconds"`
	// Requests counts the requests answered since New, on every path:
	// /healthz and the admin API's included.
	Requests uint64 `json:"requests"`
	// Statuses counts the same requests by how they ended; its counts add up
	// to Requests.
	Statuses StatusCounts `json:"statuses"`
	// Faults counts the faults applied since New, by kind.
	Faults FaultCounts `json:"faults"`
	// AuthRefused counts the requests refused since New because their
	// signature was missing or wrong (401; only with Config.Auth).
	AuthRefused uint64 `json:"authRefused"`
	// AdminRefused counts the admin requests refused since New: those
	// without the token Config.AdminToken asks for, or with a wrong one
	// (401), and, when there is no token, those from a web page (403).
	AdminRefused uint64 `json:"adminRefused"`
	// Connections describes the connections of the HTTPServer that serves
	// the mock; zero, and left out of the JSON, when the mock is served
	// otherwise (httptest, another http.Server).
	Connections ConnStats `json:"connections,omitzero"`
	// InFlight counts the requests being handled now; over HTTP, the stats
	// request itself is one.
	InFlight int64 `json:"inFlight"`
	// Users counts the users in the store.
	Users int `json:"users"`
	// UsersForgotten counts the users the in-memory store has forgotten,
	// since New or the last reset, to keep within Config.MaxUsers.
	UsersForgotten uint64 `json:"usersForgotten"`
	// JournalTotal counts the requests journaled since New or the last
	// reset; the journal keeps the last Config.JournalSize of them.
	JournalTotal uint64 `json:"journalTotal"`
	// Goroutines is runtime.NumGoroutine, for the whole process.
	Goroutines int `json:"goroutines"`
	// HeapAllocBytes, HeapObjects, SysBytes and GCCycles are the Go
	// runtime's HeapAlloc, HeapObjects, Sys and NumGC, for the whole process.
	HeapAllocBytes uint64 `json:"heapAllocBytes"`
	HeapObjects    uint64 `json:"heapObjects"`
	SysBytes       uint64 `json:"sysBytes"`
	GCCycles       uint32 `json:"gcCycles"`
}

// StatusCounts counts answered requests by how they ended. A fault can
// answer any status from 200 to 599; NoAnswer and ClientGone are the
// requests that the journal shows with status 0 and 499.
type StatusCounts struct {
	Class2xx uint64 `json:"2xx"`
	Class3xx uint64 `json:"3xx"`
	Class4xx uint64 `json:"4xx"`
	Class5xx uint64 `json:"5xx"`
	// NoAnswer counts requests whose connection a fault closed without an
	// HTTP answer (reset, empty, garbage, truncated, hang).
	NoAnswer uint64 `json:"noAnswer"`
	// ClientGone counts requests whose client left while a fault held them.
	ClientGone uint64 `json:"clientGone"`
	// Other counts answers of any other status, which the mock never sends.
	Other uint64 `json:"other,omitempty"`
}

// Indexes of Server.statuses, the counters behind StatusCounts.
const (
	ended2xx = iota
	ended3xx
	ended4xx
	ended5xx
	endedNoAnswer
	endedClientGone
	endedOther
	endings
)

// ending returns the index in Server.statuses of how x ended.
func (x *exchange) ending() int {
	switch {
	case x.noAnswer:
		return endedNoAnswer
	case x.gone:
		return endedClientGone
	}
	if c := x.Response().Status / 100; c >= 2 && c <= 5 {
		return ended2xx + c - 2
	}
	return endedOther
}

func (s *Server) statusCounts() (StatusCounts, uint64) {
	var n [endings]uint64
	var total uint64
	for i := range n {
		n[i] = s.statuses[i].Load()
		total += n[i]
	}
	return StatusCounts{
		Class2xx: n[ended2xx], Class3xx: n[ended3xx], Class4xx: n[ended4xx], Class5xx: n[ended5xx],
		NoAnswer: n[endedNoAnswer], ClientGone: n[endedClientGone], Other: n[endedOther],
	}, total
}

// FaultCounts counts applied faults by kind, one field a kind.
type FaultCounts struct {
	Latency       uint64 `json:"latency"`
	Status        uint64 `json:"status"`
	Reset         uint64 `json:"reset"`
	Empty         uint64 `json:"empty"`
	Garbage       uint64 `json:"garbage"`
	Truncated     uint64 `json:"truncated"`
	SlowBody      uint64 `json:"slow-body"`
	Hang          uint64 `json:"hang"`
	Partial       uint64 `json:"partial"`
	ContractBreak uint64 `json:"contract-break"`
}

// faultCounts returns the counts of faults applied, by kind.
func (s *Server) faultCounts() FaultCounts {
	n := func(kind string) uint64 { return s.faultsApplied[kindIndex(kind)].Load() }
	return FaultCounts{
		Latency: n(KindLatency), Status: n(KindStatus), Reset: n(KindReset), Empty: n(KindEmpty),
		Garbage: n(KindGarbage), Truncated: n(KindTruncated), SlowBody: n(KindSlowBody), Hang: n(KindHang),
		Partial: n(KindPartial), ContractBreak: n(KindContractBreak),
	}
}

// userForgetter is a Store that forgets users past a limit.
type userForgetter interface {
	Forgotten(ctx context.Context) (uint64, error)
}

// userCounter is a Store that counts its users without listing them.
type userCounter interface {
	Count(ctx context.Context) (int, error)
}

// Stats returns the server's figures. With gc it runs a garbage collection
// first, so that the heap figures count live memory only and two snapshots
// compare.
func (s *Server) Stats(ctx context.Context, gc bool) (Stats, error) {
	users, err := s.countUsers(ctx)
	if err != nil {
		return Stats{}, err
	}
	var forgotten uint64
	if f, ok := s.store.(userForgetter); ok {
		if forgotten, err = f.Forgotten(ctx); err != nil {
			return Stats{}, err
		}
	}
	if gc {
		runtime.GC()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	uptime := time.Since(s.started).Round(time.Millisecond)
	statuses, requests := s.statusCounts()
	var conns ConnStats
	if c := s.conns.Load(); c != nil {
		conns = c.stats()
	}
	return Stats{
		Uptime:         Duration(uptime),
		UptimeSeconds:  uptime.Seconds(),
		Requests:       requests,
		Statuses:       statuses,
		Faults:         s.faultCounts(),
		AuthRefused:    s.authRefused.Load(),
		AdminRefused:   s.adminRefused.Load(),
		Connections:    conns,
		InFlight:       s.inFlight.Load(),
		Users:          users,
		UsersForgotten: forgotten,
		JournalTotal:   s.journal.total(),
		Goroutines:     runtime.NumGoroutine(),
		HeapAllocBytes: m.HeapAlloc,
		HeapObjects:    m.HeapObjects,
		SysBytes:       m.Sys,
		GCCycles:       m.NumGC,
	}, nil
}

func (s *Server) countUsers(ctx context.Context) (int, error) {
	if c, ok := s.store.(userCounter); ok {
		return c.Count(ctx)
	}
	users, err := s.store.List(ctx)
	return len(users), err
}

// adminStats answers GET /__admin/stats[?gc=1].
func (s *Server) adminStats(c echo.Context) error {
	gc := false
	if v := c.QueryParam("gc"); v != "" {
		var err error
		if gc, err = strconv.ParseBool(v); err != nil {
			return adminBadRequest("gc " + strconv.Quote(v) + ": want 1 (collect garbage first) or 0")
		}
	}
	st, err := s.Stats(c.Request().Context(), gc)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
