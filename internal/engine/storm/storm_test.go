package storm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a slog.Handler that keeps the records.
type recorder struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec.Clone())
	return nil
}

// take returns the records so far and forgets them, each as its message
// and attributes.
func (r *recorder) take() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]any
	for _, rec := range r.recs {
		m := map[string]any{"msg": rec.Message, "level": rec.Level}
		rec.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.Any(); return true })
		out = append(out, m)
	}
	r.recs = nil
	return out
}

// t0 is a window's start, for windows of a minute.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type fixture struct {
	clock *FakeClock
	log   *recorder
	c     *Control
}

func newFixture(cfg Config) *fixture {
	f := &fixture{clock: NewFakeClock(t0), log: &recorder{}}
	cfg.Clock = f.clock
	f.c = New(cfg)
	return f
}

func (f *fixture) event(fp string, status int) *Event {
	return &Event{Fingerprint: fp, Status: status, Route: "/r", Level: slog.LevelError, Logger: slog.New(f.log)}
}

// admit admits n errors of fp and status for k and returns how many were
// in full.
func (f *fixture) admit(k Kind, fp string, status, n int) int {
	full := 0
	for range n {
		if f.c.Admit(context.Background(), k, f.event(fp, status)) {
			full++
		}
	}
	return full
}

func TestLimitsAndSummaries(t *testing.T) {
	f := newFixture(Config{})
	assert.Equal(t, 10, f.admit(Log, "a", 500, 25), "the default 5xx record limit")
	assert.Equal(t, 5, f.admit(Report, "a", 500, 25), "the default 5xx report limit")
	assert.Equal(t, 3, f.admit(Log, "b", 404, 25), "4xx are limited harder")
	assert.Equal(t, 1, f.admit(Report, "b", 404, 25))
	assert.Empty(t, f.log.take(), "no summary while the window lasts")

	f.clock.Advance(time.Minute)
	sums := byFP(f.log.take())
	require.Len(t, sums, 2, "the timer wrote one summary per fingerprint")
	assert.Equal(t, map[string]any{
		"msg": SummaryMessage, "level": slog.LevelError, "fingerprint": "a", "status": int64(500), "route": "/r",
		"window_start": t0, "window": time.Minute, "records_left_out": int64(15), "reports_left_out": int64(20),
	}, sums["a"])
	assert.Equal(t, int64(22), sums["b"]["records_left_out"])
	assert.Equal(t, int64(24), sums["b"]["reports_left_out"])

	assert.Equal(t, 10, f.admit(Log, "a", 500, 11), "a new window, new counts")
	f.clock.Advance(time.Minute)
	sums = byFP(f.log.take())
	assert.Equal(t, int64(1), sums["a"]["records_left_out"])
	assert.Equal(t, t0.Add(time.Minute), sums["a"]["window_start"])
	f.clock.Advance(time.Hour)
	assert.Empty(t, f.log.take(), "nothing left out: no summary")
}

func byFP(recs []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range recs {
		out[r["fingerprint"].(string)] = r
	}
	return out
}

func TestConfiguredLimits(t *testing.T) {
	f := newFixture(Config{Limits: [kinds][2]int{Log: {-1, 2}, Report: {1, -1}}, Window: 10 * time.Second})
	assert.Equal(t, 0, f.admit(Log, "a", 404, 3), "a negative limit: none in full")
	assert.Equal(t, 2, f.admit(Log, "b", 500, 3))
	assert.Equal(t, 0, f.admit(Report, "b", 500, 3))
	f.clock.Advance(10 * time.Second)
	sums := byFP(f.log.take())
	assert.Equal(t, int64(3), sums["a"]["records_left_out"])
	assert.Equal(t, int64(1), sums["b"]["records_left_out"])
	assert.Equal(t, int64(3), sums["b"]["reports_left_out"])
}

// A quiet fingerprint's summary comes before the next error of any
// fingerprint, when the timer is late.
func TestQuietFingerprintNextError(t *testing.T) {
	f := newFixture(Config{})
	f.admit(Log, "a", 404, 5)
	f.clock.Jump(time.Minute)
	f.admit(Log, "b", 404, 1)
	recs := f.log.take()
	require.Len(t, recs, 1)
	assert.Equal(t, "a", recs[0]["fingerprint"])
	assert.Equal(t, int64(2), recs[0]["records_left_out"])
	f.clock.Advance(0) // the late timer: nothing more to write
	assert.Empty(t, f.log.take())
}

func TestFlush(t *testing.T) {
	f := newFixture(Config{})
	f.admit(Log, "a", 404, 5)
	f.c.Flush()
	recs := f.log.take()
	require.Len(t, recs, 1)
	assert.Equal(t, int64(2), recs[0]["records_left_out"])
	assert.Equal(t, 0, f.admit(Log, "a", 404, 1), "the limit still holds")
	f.c.Flush()
	assert.Equal(t, int64(1), f.log.take()[0]["records_left_out"])
	f.c.Flush()
	f.clock.Advance(time.Minute)
	assert.Empty(t, f.log.take(), "nothing twice")
}

func TestCap(t *testing.T) {
	f := newFixture(Config{MaxFingerprints: 5})
	full := 0
	for i := range 100 {
		full += f.admit(Log, fmt.Sprint("fp", i), 404, 1)
	}
	full += f.admit(Log, "late 5xx", 500, 12)
	assert.Len(t, f.c.entries, 5, "bounded")
	assert.Equal(t, 5+3+10, full, "5 entries, then the 4xx and 5xx overflow's own limits")
	f.clock.Advance(time.Minute)
	sums := f.log.take()
	require.Len(t, sums, 2)
	left := map[any]int64{}
	for _, s := range sums {
		assert.Equal(t, "other", s["fingerprint"])
		left[s["status_class"]] = s["records_left_out"].(int64)
	}
	assert.Equal(t, map[any]int64{"4xx": 92, "5xx": 2}, left, "every error is in full or counted")
	assert.Empty(t, f.c.entries, "the window's entries are forgotten")
}

// limiter is a Limiter that counts keys, or fails.
type limiter struct {
	mu    sync.Mutex
	keys  map[string]int
	fail  error
	panic bool
}

func (l *limiter) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, error) {
	if l.panic {
		panic("boom")
	}
	if l.fail != nil {
		return false, l.fail
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys[key]++
	return l.keys[key] <= limit, nil
}

func TestLimiter(t *testing.T) {
	shared := &limiter{keys: map[string]int{}}
	a, b := newFixture(Config{Limiter: shared}), newFixture(Config{Limiter: shared})
	assert.Equal(t, 7, a.admit(Log, "x", 500, 7))
	assert.Equal(t, 3, b.admit(Log, "x", 500, 20), "the fleet's limit")
	assert.Equal(t, map[string]int{"log:x:" + fmt.Sprint(t0.Unix()): 7 + 10}, shared.keys,
		"the limiter is asked while each process's own limit allows (10 each)")
	b.clock.Advance(time.Minute)
	assert.Equal(t, int64(17), b.log.take()[0]["records_left_out"], "refused by the limiter: counted")
}

func TestLimiterFailsOpen(t *testing.T) {
	for _, l := range []*limiter{{fail: errors.New("redis: connection refused")}, {panic: true}} {
		f := newFixture(Config{Limiter: l})
		assert.Equal(t, 5, f.admit(Report, "x", 500, 8), "in full, within the process's own limit")
		recs := f.log.take()
		require.Len(t, recs, 1, "one warning")
		assert.Equal(t, slog.LevelWarn, recs[0]["level"])
		assert.Contains(t, recs[0]["msg"], "limiter failed")
		f.clock.Advance(time.Minute)
		assert.Equal(t, int64(3), f.log.take()[0]["reports_left_out"])

		l.fail, l.panic, l.keys = nil, false, map[string]int{}
		assert.Equal(t, 5, f.admit(Report, "x", 500, 5))
		l.fail = errors.New("again")
		f.admit(Report, "y", 500, 1)
		assert.Len(t, f.log.take(), 1, "a new failure after an answer warns again")
	}
}

// Concurrent errors, for the race detector: every one is in full or
// counted.
func TestConcurrentCounts(t *testing.T) {
	f := newFixture(Config{MaxFingerprints: 3})
	var wg sync.WaitGroup
	var mu sync.Mutex
	full := 0
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := f.admit(Log, fmt.Sprint("fp", g%4), 500, 100)
			mu.Lock()
			full += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	f.c.Flush()
	left := int64(0)
	for _, s := range f.log.take() {
		left += s["records_left_out"].(int64)
	}
	assert.Equal(t, int64(800), int64(full)+left)
}
