package echoerr_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// soakEnv holds the soak's duration; the soak runs only when it is set
// (scripts/soak sets it to 60s).
const soakEnv = "ECHOERR_SOAK"

// Tolerances for "back to baseline" after the soak.
const (
	soakGoroutineSlack = 4       // runtime and net/http housekeeping
	soakHeapSlack      = 4 << 20 // a 16-byte leak per request of a 60 s soak (~300 000) exceeds it
)

// levelCounter is a slog.Handler that counts records by level and keeps
// nothing else, so that it does not grow the heap.
type levelCounter struct {
	mu sync.Mutex
	n  map[slog.Level]int
}

func (h *levelCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *levelCounter) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n[r.Level]++
	return nil
}
func (h *levelCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *levelCounter) WithGroup(string) slog.Handler      { return h }

func (h *levelCounter) total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.n {
		n += c
	}
	return n
}

// soakApp is the mixed-error app plus a route that waits for its client to
// hang up, on a real loopback server, counting what it logs, reports and
// answers.
type soakApp struct {
	srv      *realServer
	log      *levelCounter
	reports  atomic.Int64
	mu       sync.Mutex
	statuses map[int]int              // as Echo recorded them, server side
	started  map[string]chan struct{} // /hangup requests that reached the route, by id
}

func newSoakApp(t *testing.T) *soakApp {
	a := &soakApp{log: &levelCounter{n: map[slog.Level]int{}}, statuses: map[int]int{}, started: map[string]chan struct{}{}}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(append(mixedOptions(),
		echoerr.WithLogger(slog.New(a.log)),
		echoerr.WithReporter(func(echo.Context, *echoerr.Error) { a.reports.Add(1) }),
	)...)
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := next(c); err != nil {
				c.Error(err)
			}
			a.mu.Lock()
			a.statuses[c.Response().Status]++
			a.mu.Unlock()
			return nil
		}
	})
	addMixedRoutes(e)
	e.GET("/hangup", func(c echo.Context) error {
		a.mu.Lock()
		close(a.started[c.Request().Header.Get("X-Soak-Id")])
		a.mu.Unlock()
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	a.srv = newRealServer(t, e)
	return a
}

// hangup sends a request to /hangup and cancels it once the route runs.
func (a *soakApp) hangup(client *http.Client, id string) error {
	ch := make(chan struct{})
	a.mu.Lock()
	a.started[id] = ch
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.started, id)
		a.mu.Unlock()
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.srv.URL+"/hangup", nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Soak-Id", id)
	go func() {
		<-ch
		cancel()
	}()
	res, err := client.Do(req)
	if err == nil {
		res.Body.Close()
		return errors.New("hangup: got a response")
	}
	if !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// send sends one request of kind k and returns the status on the wire.
func (a *soakApp) send(client *http.Client, k routeKind) (int, error) {
	req, err := http.NewRequest(k.method, a.srv.URL+k.path, nil)
	if err != nil {
		return 0, err
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// settle waits until the goroutine count is within slack of base, or a few
// seconds passed, and returns the count and the live heap after a GC.
func settle(base, slack int) (goroutines int, heap uint64) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base+slack && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc
}

// TestSoakMixedErrorsOnRealServer sends every kind of failing request, and
// clients that hang up, to a real server for $ECHOERR_SOAK (scripts/soak:
// 60s). Afterwards the goroutine count and the live heap are back at their
// baseline, and the responses per status, the log records and the reports
// add up to what was sent.
func TestSoakMixedErrorsOnRealServer(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv(soakEnv))
	if err != nil || d <= 0 {
		t.Skipf("soak not requested: run scripts/soak or set %s=60s", soakEnv)
	}
	const clients = 16
	a := newSoakApp(t)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}

	// Warm up (pools, caches, connections), then take the baseline with no
	// connection open.
	for _, k := range everyRouteKind {
		_, err := a.send(client, k)
		require.NoError(t, err)
	}
	client.CloseIdleConnections()
	baseG, baseHeap := settle(runtime.NumGoroutine(), 0)
	a.mu.Lock()
	a.statuses = map[int]int{}
	a.mu.Unlock()
	logged0, reports0 := a.log.total(), a.reports.Load()

	sent := map[int]int{}   // status the server must record → requests sent
	onWire := map[int]int{} // status the clients received
	hangups := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mySent, myWire, myHangups := map[int]int{}, map[int]int{}, 0
			for i := 0; time.Now().Before(stop); i++ {
				if i%(len(everyRouteKind)+1) == len(everyRouteKind) {
					if err := a.hangup(client, fmt.Sprintf("%d-%d", c, i)); err != nil {
						t.Error(err)
						return
					}
					myHangups++
					continue
				}
				k := everyRouteKind[(c+i)%len(everyRouteKind)]
				status, err := a.send(client, k)
				if err != nil {
					t.Error(err)
					return
				}
				want := k.status
				if want == 0 {
					want = echoerr.StatusClientClosedRequest // recorded, not sent
				}
				mySent[want]++
				myWire[status]++
			}
			mu.Lock()
			defer mu.Unlock()
			for s, n := range mySent {
				sent[s] += n
			}
			for s, n := range myWire {
				onWire[s] += n
			}
			hangups += myHangups
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())

	total, fivexx := hangups, 0
	for s, n := range sent {
		total += n
		if s >= 500 {
			fivexx += n
		}
	}
	t.Logf("soak: %d requests in %v (%d hung up), %v", total, d, hangups, sent)

	wantOnWire := map[int]int{}
	for s, n := range sent {
		if s == echoerr.StatusClientClosedRequest {
			s = http.StatusOK // nothing written: net/http finishes with an empty 200
		}
		wantOnWire[s] += n
	}
	assert.Equal(t, wantOnWire, onWire, "statuses the clients received")
	wantRecorded := map[int]int{}
	for s, n := range sent {
		wantRecorded[s] = n
	}
	wantRecorded[echoerr.StatusClientClosedRequest] += hangups
	a.mu.Lock()
	assert.Equal(t, wantRecorded, a.statuses, "statuses Echo recorded")
	a.mu.Unlock()
	assert.Equal(t, total, a.log.total()-logged0, "one log record per request")
	assert.Equal(t, int64(fivexx), a.reports.Load()-reports0, "one report per 5xx")

	client.CloseIdleConnections()
	g, heap := settle(baseG, soakGoroutineSlack)
	t.Logf("goroutines %d → %d, live heap %d KiB → %d KiB", baseG, g, baseHeap>>10, heap>>10)
	assert.LessOrEqual(t, g, baseG+soakGoroutineSlack, "goroutines back to baseline")
	assert.LessOrEqual(t, heap, baseHeap+soakHeapSlack, "live heap back to baseline")
}
