package echoerr_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
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
	"github.com/echoerr/echoerr/httperr"
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
	statuses map[int]int // as Echo recorded them, server side
	started  sync.Map    // /hangup request id → chan struct{}, closed when the route runs
}

func newSoakApp(t *testing.T) *soakApp {
	a := &soakApp{log: &levelCounter{n: map[slog.Level]int{}}, statuses: map[int]int{}}
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
		if ch, ok := a.started.LoadAndDelete(c.Request().Header.Get("X-Soak-Id")); ok {
			close(ch.(chan struct{}))
		}
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	a.srv = newRealServer(t, e)
	return a
}

// hangup sends a request to /hangup and cancels it once the route runs. It
// reports whether the route ran before the client gave up: then the server
// must record a 499 for it. A request that failed with the client's own
// cancellation before the route ran was abandoned: the server may never
// have read it, or read it after the client hung up (a 499 then).
func (a *soakApp) hangup(client *http.Client, id string) (reached bool, err error) {
	ch := make(chan struct{})
	a.started.Store(id, ch)
	defer a.started.Delete(id)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.srv.URL+"/hangup", nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("X-Soak-Id", id)
	go func() {
		select {
		case <-ch:
			cancel()
		case <-ctx.Done():
		}
	}()
	res, err := client.Do(req)
	if err == nil {
		res.Body.Close()
		return false, errors.New("hangup: got a response")
	}
	if !errors.Is(err, context.Canceled) {
		return false, err
	}
	select {
	case <-ch:
		return true, nil
	default:
		return false, nil
	}
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
//
// What adds up exactly, and what cannot:
//   - A request whose response the client read got the status its kind
//     plans, and the server recorded that status for it.
//   - A hang-up whose route ran before the client gave up is recorded as
//     one 499: the server sees the connection close and the route returns
//     context.Canceled with the request's context done.
//   - The server logs every request it handled once and reports every 5xx
//     it recorded once: logs and reports equal its own counts exactly.
//   - A request that failed with the client's own cancellation before it
//     completed (a hang-up whose route had not run yet, or a request that
//     shared a connection with one: context.Canceled can come only from
//     this client's hang-ups, since no other request has a context) was
//     abandoned. The server may never have read it, or read it and handled
//     it as usual or as a gone client: it adds at most one record, of a
//     status that cannot be predicted. Those are counted, not failures.
//
// The server is closed, which waits for every request it read, before the
// counts are compared: a hang-up is recorded only once the server noticed
// that its client went away, which may come after the client's last
// request returned.
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

	sent := map[int]int{}   // planned status → requests whose response the client read
	onWire := map[int]int{} // status the clients received
	hungUp, abandoned := 0, 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mySent, myWire, myHungUp, myAbandoned := map[int]int{}, map[int]int{}, 0, 0
			defer func() {
				mu.Lock()
				defer mu.Unlock()
				for s, n := range mySent {
					sent[s] += n
				}
				for s, n := range myWire {
					onWire[s] += n
				}
				hungUp += myHungUp
				abandoned += myAbandoned
			}()
			for i := 0; time.Now().Before(stop); i++ {
				if i%(len(everyRouteKind)+1) == len(everyRouteKind) {
					reached, err := a.hangup(client, fmt.Sprintf("%d-%d", c, i))
					switch {
					case err != nil:
						t.Error(err)
						return
					case reached:
						myHungUp++
					default:
						myAbandoned++
					}
					continue
				}
				k := everyRouteKind[(c+i)%len(everyRouteKind)]
				status, err := a.send(client, k)
				switch {
				case errors.Is(err, context.Canceled):
					myAbandoned++ // the client's own cancellation, through a connection it shared with a hang-up
				case err != nil:
					t.Error(err)
					return
				default:
					mySent[k.status]++
					myWire[status]++
				}
			}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())
	client.CloseIdleConnections()
	a.srv.Close() // waits for every request the server read: hang-ups are recorded when it notices

	completed, fivexx := 0, 0
	for _, n := range sent {
		completed += n
	}
	t.Logf("soak: %d requests in %v (%d hung up, %d abandoned), %v", completed+hungUp+abandoned, d, hungUp, abandoned, sent)
	assert.Equal(t, sent, onWire, "statuses the clients received")

	want := map[int]int{} // what the server must have recorded, at least
	for s, n := range sent {
		want[s] = n
	}
	want[httperr.StatusClientClosedRequest] += hungUp
	a.mu.Lock()
	recorded := maps.Clone(a.statuses)
	a.mu.Unlock()
	handled, extra := 0, 0
	for s, n := range recorded {
		handled += n
		if s >= 500 {
			fivexx += n
		}
	}
	for s, n := range want {
		assert.GreaterOrEqual(t, recorded[s], n, "requests recorded with status %d", s)
		extra -= n
	}
	extra += handled
	assert.GreaterOrEqual(t, extra, 0)
	assert.LessOrEqual(t, extra, abandoned, "beyond what was sent, only abandoned requests may have been recorded: %v, want %v", recorded, want)
	assert.Equal(t, handled, a.log.total()-logged0, "one log record per request the server handled")
	assert.Equal(t, int64(fivexx), a.reports.Load()-reports0, "one report per 5xx the server recorded")

	g, heap := settle(baseG, soakGoroutineSlack)
	t.Logf("goroutines %d → %d, live heap %d KiB → %d KiB", baseG, g, baseHeap>>10, heap>>10)
	assert.LessOrEqual(t, g, baseG+soakGoroutineSlack, "goroutines back to baseline")
	assert.LessOrEqual(t, heap, baseHeap+soakHeapSlack, "live heap back to baseline")
}
