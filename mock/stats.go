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
	// Requests counts the requests answered since New, on every path.
	Requests uint64 `json:"requests"`
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
	return Stats{
		Uptime:         Duration(time.Since(s.started).Round(time.Millisecond)),
		Requests:       s.answered.Load(),
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
