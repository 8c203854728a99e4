package facetest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/internal/engine/storm"
)

// Storm control (issue 18), through a fake clock: fingerprints, limits and
// summaries per window, the quiet fingerprint's summary, the cap, and a
// limiter that fails.
func (s *suite) storms(t *testing.T) {
	t.Run("fingerprints: in the record and the report, ids masked", s.stormFingerprints)
	t.Run("summaries, counts and windows", s.stormSummaries)
	t.Run("a quiet fingerprint's summary: before the next error, and Flush", s.stormQuiet)
	t.Run("distinct fingerprints are capped, the overflow counted under other", s.stormCap)
	t.Run("a limiter that fails: in full, never dropped, one warning", s.stormFailOpen)
}

// stormT0 is the start of a minute, for the fake clock.
var stormT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// OwnFingerprint is an error that names its own fingerprint
// (httperr.Fingerprinter).
type OwnFingerprint struct{ FP string }

func (e *OwnFingerprint) Error() string       { return "own fingerprint " + e.FP }
func (e *OwnFingerprint) Fingerprint() string { return e.FP }

// stormEnv is an app with storm control on a fake clock.
type stormEnv struct {
	*env
	clock *storm.FakeClock
	flush func()
}

func (s *suite) stormServe(t *testing.T, st Storms, app App) *stormEnv {
	t.Helper()
	clock := storm.NewFakeClock(stormT0)
	st.Clock = clock
	opt, flush := s.f.WithStormControl(st)
	app.Options = append([]Option{opt}, app.Options...)
	return &stormEnv{env: s.serve(t, app), clock: clock, flush: flush}
}

// split returns the records in full and the summaries, forgetting them.
func (e *stormEnv) split() (full, summaries []slog.Record) {
	for _, r := range e.Log.Records() {
		if r.Message == storm.SummaryMessage {
			summaries = append(summaries, r)
		} else {
			full = append(full, r)
		}
	}
	e.Log.Reset()
	return full, summaries
}

// attrInt is a record's integer attribute.
func attrInt(t testing.TB, r slog.Record, key string) int {
	t.Helper()
	v, ok := RecordAttr(r, key)
	require.True(t, ok, "attribute %s in %s", key, RecordText(r))
	n, err := strconv.Atoi(v)
	require.NoError(t, err)
	return n
}

func attr(r slog.Record, key string) string { v, _ := RecordAttr(r, key); return v }

func (s *suite) stormFingerprints(t *testing.T) {
	load := func(c Ctx) error {
		id := c.Param("id")
		return fmt.Errorf("load %s: %w", id, errors.New("row "+id+" missing"))
	}
	e := s.stormServe(t, Storms{}, App{Routes: []Endpoint{
		GET("/users/:id", load), GET("/orders/:id", load),
		GET("/own", Fail(fmt.Errorf("wrapped: %w", &OwnFingerprint{"db-down"}))),
	}})
	for _, p := range []string{"/users/1", "/users/2", "/orders/3", "/own", "/no/such/page"} {
		e.get(p)
	}
	recs, reports := e.records(t, 5), e.reports(t, 4)
	fps := make([]string, len(recs))
	for i, r := range recs {
		fps[i] = attr(r, "fingerprint")
		assert.NotEmpty(t, fps[i], "every error has one: %s", RecordText(r))
	}
	assert.Equal(t, fps[0], fps[1], "the id is masked")
	assert.NotEqual(t, fps[0], fps[2], "another route")
	assert.Equal(t, "db-down", fps[3], "the error's own")
	assert.NotEqual(t, fps[0], fps[4])
	for i, r := range reports {
		assert.Equal(t, fps[i], r.Fingerprint, "the reporter gets the record's fingerprint")
	}

	set := s.stormServe(t, Storms{}, App{
		Options: []Option{s.f.OnCode(500, func(_ Ctx, err error) error {
			return s.adjust(err, func(fe *Canonical) { fe.Fingerprint = "set-by-handler" })
		})},
		Routes: []Endpoint{GET("/x", Fail(errors.New("boom")))},
	})
	set.get("/x")
	assert.Equal(t, "set-by-handler", attr(set.record(t), "fingerprint"), "a handler's fingerprint is kept")
	assert.Equal(t, "set-by-handler", set.reports(t, 1)[0].Fingerprint)

	off := s.failing(t, errors.New("boom"))
	off.get("/x")
	_, has := RecordAttr(off.record(t), "fingerprint")
	assert.False(t, has, "storm control is opt-in")
	assert.Empty(t, off.reports(t, 1)[0].Fingerprint)
}

func (s *suite) stormSummaries(t *testing.T) {
	e := s.stormServe(t, Storms{Logs5xx: 2, Reports5xx: 1, Logs4xx: 1}, App{Routes: []Endpoint{
		GET("/boom", Fail(errors.New("db down"))),
	}})
	for range 5 {
		e.get("/boom")
	}
	for range 3 {
		e.get("/nope")
	}
	full, sums := e.split()
	assert.Len(t, full, 2+1, "the first errors of each fingerprint in full")
	assert.Empty(t, sums, "no summary while the window lasts")
	e.reports(t, 1)

	e.clock.Advance(time.Minute)
	_, sums = e.split()
	require.Len(t, sums, 2, "one summary per fingerprint")
	left := map[string][2]int{}
	for _, r := range sums {
		left[attr(r, "status")] = [2]int{attrInt(t, r, "records_left_out"), attrInt(t, r, "reports_left_out")}
		assert.Equal(t, fmt.Sprint(stormT0), attr(r, "window_start"), "the window that is over")
	}
	assert.Equal(t, map[string][2]int{"500": {5 - 2, 5 - 1}, "404": {3 - 1, 0}}, left,
		"in full plus left out is every error, for records and for reports")
	assert.Equal(t, slog.LevelError, levelOf(sums, "500"), "a summary has its errors' level")
	assert.Equal(t, slog.LevelInfo, levelOf(sums, "404"))

	for range 3 {
		e.get("/boom")
	}
	full, _ = e.split()
	assert.Len(t, full, 2, "a new window, new counts")
	e.reports(t, 2)
	e.clock.Advance(time.Minute)
	_, sums = e.split()
	require.Len(t, sums, 1)
	assert.Equal(t, 1, attrInt(t, sums[0], "records_left_out"))
	e.clock.Advance(time.Hour)
	_, sums = e.split()
	assert.Empty(t, sums, "nothing left out, no summary")
}

// levelOf is the level of the summary for status.
func levelOf(sums []slog.Record, status string) slog.Level {
	for _, r := range sums {
		if attr(r, "status") == status {
			return r.Level
		}
	}
	return slog.LevelDebug - 1
}

func (s *suite) stormQuiet(t *testing.T) {
	routes := []Endpoint{GET("/a", Fail(s.f.HTTPError(409, "a"))), GET("/b", Fail(s.f.HTTPError(409, "b")))}
	e := s.stormServe(t, Storms{Logs4xx: 1}, App{Routes: routes})
	for range 3 {
		e.get("/a")
	}
	e.Log.Reset()
	e.clock.Jump(time.Minute) // the timer is late
	e.get("/b")
	recs := e.Log.Records()
	require.Len(t, recs, 2, recordsText(recs))
	assert.Equal(t, storm.SummaryMessage, recs[0].Message, "a's summary before b's record")
	assert.Equal(t, 2, attrInt(t, recs[0], "records_left_out"))
	assert.Equal(t, "/b", attr(recs[1], "path"))
	e.Log.Reset()
	e.clock.Advance(0)
	assert.Empty(t, e.Log.Records(), "the late timer has nothing left to write")

	for range 4 {
		e.get("/b")
	}
	e.Log.Reset()
	e.flush()
	_, sums := e.split()
	require.Len(t, sums, 1, "Flush writes what is left out at once")
	assert.Equal(t, 4, attrInt(t, sums[0], "records_left_out"))
	e.flush()
	e.clock.Advance(time.Minute)
	_, sums = e.split()
	assert.Empty(t, sums, "and nothing twice")
}

func (s *suite) stormCap(t *testing.T) {
	file := func(c Ctx) error { return s.f.HTTPError(404, "no such file: "+c.Param("name")) }
	e := s.stormServe(t, Storms{Logs4xx: 1, MaxFingerprints: 3}, App{Routes: []Endpoint{GET("/files/:name", file)}})
	const n = 40
	for i := range n {
		e.get(fmt.Sprintf("/files/%c%c", 'a'+i/26, 'a'+i%26)) // letters: not masked
	}
	full, _ := e.split()
	assert.Len(t, full, 3+1, "three fingerprints, then the overflow's own limit")
	e.clock.Advance(time.Minute)
	_, sums := e.split()
	require.Len(t, sums, 1, "one summary for the overflow")
	assert.Equal(t, "other", attr(sums[0], "fingerprint"))
	assert.Equal(t, "4xx", attr(sums[0], "status_class"))
	assert.Equal(t, n-4, attrInt(t, sums[0], "records_left_out"))
}

// failingLimiter is a limiter that cannot reach its store.
type failingLimiter struct {
	mu    sync.Mutex
	calls int
}

func (l *failingLimiter) Allow(context.Context, string, int, time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	return false, errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
}

func (s *suite) stormFailOpen(t *testing.T) {
	l := &failingLimiter{}
	e := s.stormServe(t, Storms{Logs5xx: 3, Reports5xx: 2, Limiter: l}, App{Routes: []Endpoint{
		GET("/boom", Fail(errors.New("db down"))),
	}})
	for range 5 {
		e.get("/boom")
	}
	e.reports(t, 2)
	var warnings, full int
	for _, r := range e.Log.Records() {
		if r.Level == slog.LevelWarn {
			warnings++
			assert.Contains(t, RecordText(r), "connection refused")
		} else {
			full++
		}
	}
	assert.Equal(t, 1, warnings, "one warning")
	assert.Equal(t, 3, full, "in full, within the process's own limits")
	assert.Equal(t, 3+2, l.calls)
	e.Log.Reset()
	e.clock.Advance(time.Minute)
	_, sums := e.split()
	require.Len(t, sums, 1)
	assert.Equal(t, 2, attrInt(t, sums[0], "records_left_out"))
	assert.Equal(t, 3, attrInt(t, sums[0], "reports_left_out"))
}
