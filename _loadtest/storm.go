package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime"
)

// stormMode is the server's storm mode (-storm on|off, for scripts/storm):
// echoerr logs to a counter and reports to it, with storm control at its
// recommended setting (a zero StormControl) when limits is set and without
// it otherwise, and GET /_storm answers the counts.
type stormMode struct {
	counter
	limits bool
	flush  func() // the StormControl's Flush; nil without limits
}

// logger is echoerr's logger in storm mode: the counter.
func (s *stormMode) logger() *slog.Logger { return slog.New(&s.counter) }

// withStorm answers GET /_storm, outside Echo, and passes every other
// request to h. It flushes storm control's summaries, collects garbage
// (twice, so that sync.Pool's victim caches are empty too) and answers the
// counts as JSON, with the heap in use. Call it when no request is in
// flight: at the start, and after the flood.
func withStorm(h http.Handler, s *stormMode) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_storm" {
			h.ServeHTTP(w, r)
			return
		}
		if s.flush != nil {
			s.flush()
		}
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		n := s.snapshot()
		n.HeapInuse = m.HeapInuse
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(n)
	})
}
