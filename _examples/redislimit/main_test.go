package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	echoerr4 "github.com/echoerr/echoerr"
	echoerr "github.com/echoerr/echoerr/v5"
)

// The tests run real redis-servers on loopback, one per test, and two
// echoerr servers (two Echos behind httptest servers, each with its own
// StormControl) sharing one RedisLimiter. Windows are an hour, and a test
// starts away from an hour's edge (awayFromEdge), so no window ends during
// a test: the counts asserted do not depend on timing.

func TestMain(m *testing.M) {
	redis.SetLogger(&logging.VoidLogger{}) // as main does: a failed dial is the warning's business
	os.Exit(m.Run())
}

// The limits of the tests, per fingerprint and window.
const (
	logs5xx    = 4
	reports5xx = 2
	window     = time.Hour
)

// TestTwoServersShareOneLimit: two servers flooded together with one error
// log and report it in full as often as one server would, and each
// server's summaries count the rest: in full plus left out is every error
// it handled, exactly. The servers are on Echo v5, on Echo v4, and one on
// each: the faces give an error the same fingerprint.
func TestTwoServersShareOneLimit(t *testing.T) {
	rs := startRedis(t)
	rdb := client(t, rs.addr, 5*time.Second)
	for _, faces := range [][2]string{{"v5", "v5"}, {"v4", "v4"}, {"v4", "v5"}} {
		t.Run(faces[0]+"+"+faces[1], func(t *testing.T) {
			awayFromEdge(t)
			prefix := "echoerr:" + t.Name() + ":" // keys of their own
			limiter := &RedisLimiter{Client: rdb, Prefix: prefix, Timeout: 5 * time.Second}
			a, b := newNode(t, faces[0], limiter), newNode(t, faces[1], limiter)

			const n = 40 // per server
			flood(t, n, "/orders/", a, b)
			a.storms.Flush()
			b.storms.Flush()

			for _, s := range []*node{a, b} {
				assertAddsUp(t, s, "/orders/:id", n)
				assert.Zero(t, s.logs.warnings(), "Redis answered: no warning")
				assert.Empty(t, s.logs.other, "no other records")
			}
			ca, cb := a.counts("/orders/:id"), b.counts("/orders/:id")
			assert.Equal(t, logs5xx, ca.records+cb.records, "records in full, both servers")
			assert.Equal(t, reports5xx, ca.reports+cb.reports, "reports in full, both servers")

			// Each server asked Redis only while its own count was within
			// the limit: the limit's worth of calls per server, kind and
			// fingerprint; one fingerprint for both servers.
			keys, err := rdb.Keys(t.Context(), prefix+"*").Result()
			require.NoError(t, err)
			require.Len(t, keys, 2, "a log key and a report key: %v", keys)
			for _, k := range keys {
				v, err := rdb.Get(t.Context(), k).Int()
				require.NoError(t, err)
				want := 2 * reports5xx
				if strings.HasPrefix(k, prefix+"log:") {
					want = 2 * logs5xx
				}
				assert.Equal(t, want, v, k)
				ttl, err := rdb.TTL(t.Context(), k).Result()
				require.NoError(t, err)
				assert.True(t, ttl > 0 && ttl <= window, "%s expires within the window: %v", k, ttl)
			}
		})
	}
}

// TestRedisUnreachableFailsOpen: with no Redis at the address from the
// start, each server (one per face) logs and reports within its own
// limits, counts the rest in its summaries, and logs one warning.
func TestRedisUnreachableFailsOpen(t *testing.T) {
	awayFromEdge(t)
	limiter := &RedisLimiter{Client: client(t, closedPort(t), time.Second), Timeout: time.Second}
	a, b := newNode(t, "v4", limiter), newNode(t, "v5", limiter) // one of each face

	const n = 20
	flood(t, n, "/orders/", a, b)
	a.storms.Flush()
	b.storms.Flush()

	for _, s := range []*node{a, b} {
		assertOwnLimits(t, s, "/orders/:id", n)
		assertOneWarning(t, s.logs)
	}
}

// TestRedisStoppedMidwayFailsOpen: Redis answers for one fingerprint, so
// the servers share its limit; then it stops, and a new fingerprint is
// logged and reported within each server's own limits, with one warning
// per server. Nothing is lost either way.
func TestRedisStoppedMidwayFailsOpen(t *testing.T) {
	rs := startRedis(t)
	awayFromEdge(t)
	limiter := &RedisLimiter{Client: client(t, rs.addr, 5*time.Second), Timeout: 5 * time.Second}
	a, b := newNode(t, "v4", limiter), newNode(t, "v5", limiter) // one of each face

	const n = 20
	flood(t, n, "/orders/", a, b)
	ca, cb := a.counts("/orders/:id"), b.counts("/orders/:id")
	require.Equal(t, reports5xx, ca.reports+cb.reports, "shared limit while Redis answers")
	require.Equal(t, logs5xx, ca.records+cb.records, "shared limit while Redis answers")
	require.Zero(t, a.logs.warnings()+b.logs.warnings())

	rs.stop()
	flood(t, n, "/payments/", a, b)
	a.storms.Flush()
	b.storms.Flush()

	for _, s := range []*node{a, b} {
		assertAddsUp(t, s, "/orders/:id", n)
		assertOwnLimits(t, s, "/payments/:id", n)
		assertOneWarning(t, s.logs)
	}
}

// TestRedisLimiterCountsExactly: the limiter alone, on concurrent calls
// for one key: exactly limit of them are allowed, and the key expires.
func TestRedisLimiterCountsExactly(t *testing.T) {
	rs := startRedis(t)
	limiter := &RedisLimiter{Client: client(t, rs.addr, 5*time.Second), Timeout: 5 * time.Second}
	const calls, limit = 50, 7
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			ok, err := limiter.Allow(t.Context(), "report:abc:1767225600", limit, 3*time.Second)
			assert.NoError(t, err)
			if ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(limit), allowed.Load())
	ttl, err := limiter.Client.(*redis.Client).PTTL(t.Context(), "echoerr:report:abc:1767225600").Result()
	require.NoError(t, err)
	assert.True(t, ttl > 0 && ttl <= 3*time.Second, "ttl %v", ttl)
}

// node is one echoerr server of the fleet.
type node struct {
	srv     *httptest.Server
	storms  interface{ Flush() }
	logs    *countingHandler
	mu      sync.Mutex
	reports map[string]int // by route
}

// newNode starts the demo's server on face ("v5" or "v4") with the tests'
// limits and l.
func newNode(t *testing.T, face string, l *RedisLimiter) *node {
	t.Helper()
	s := &node{logs: &countingHandler{byRoute: map[string]*routeCounts{}}, reports: map[string]int{}}
	report := func(_ int, route, _ string) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.reports[route]++
	}
	var h http.Handler
	switch face {
	case "v5":
		storms := &echoerr.StormControl{Window: window, Logs5xx: logs5xx, Reports5xx: reports5xx, Limiter: l}
		h = newServer(slog.New(s.logs), func(c *echo.Context, e *echoerr.Error) { report(e.Code, c.Path(), e.Fingerprint) }, storms)
		s.storms = storms
	case "v4":
		storms := &echoerr4.StormControl{Window: window, Logs5xx: logs5xx, Reports5xx: reports5xx, Limiter: l}
		h = newServerV4(slog.New(s.logs), report, storms)
		s.storms = storms
	default:
		t.Fatalf("face %q", face)
	}
	s.srv = httptest.NewServer(h)
	t.Cleanup(s.srv.Close)
	return s
}

// counts are one route's (one fingerprint's) counts on one server.
type routeCounts struct {
	records, recordsLeftOut, reports, reportsLeftOut int
}

func (s *node) counts(route string) routeCounts {
	got := s.logs.route(route)
	s.mu.Lock()
	got.reports = s.reports[route]
	s.mu.Unlock()
	return got
}

// flood sends n requests for prefix+i to each server, all servers at
// once, four at a time per server, and checks that each is a 500.
func flood(t *testing.T, n int, prefix string, servers ...*node) {
	t.Helper()
	var wg sync.WaitGroup
	for _, s := range servers {
		next := make(chan int)
		for range 4 {
			wg.Go(func() {
				for i := range next {
					res, err := s.srv.Client().Get(s.srv.URL + prefix + strconv.Itoa(i))
					if !assert.NoError(t, err) {
						continue
					}
					_, _ = io.Copy(io.Discard, res.Body)
					_ = res.Body.Close()
					assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
				}
			})
		}
		wg.Go(func() {
			defer close(next)
			for i := range n {
				next <- i
			}
		})
	}
	wg.Wait()
}

// assertAddsUp asserts that s's records (and reports) of route in full
// plus those its summaries left out are the n errors it handled.
func assertAddsUp(t *testing.T, s *node, route string, n int) {
	t.Helper()
	got := s.counts(route)
	assert.Equal(t, n, got.records+got.recordsLeftOut, "%s: records in full + left out", route)
	assert.Equal(t, n, got.reports+got.reportsLeftOut, "%s: reports in full + left out", route)
}

// assertOwnLimits asserts that s logged and reported route's errors in
// full up to its own limits, and lost none: as without a Limiter.
func assertOwnLimits(t *testing.T, s *node, route string, n int) {
	t.Helper()
	got := s.counts(route)
	assert.Equal(t, logs5xx, got.records, "%s: records in full, the server's own limit", route)
	assert.Equal(t, reports5xx, got.reports, "%s: reports in full, the server's own limit", route)
	assertAddsUp(t, s, route, n)
}

// assertOneWarning asserts that h holds one warning, the limiter's, naming
// the Redis error, and no record but errors, summaries and warnings.
func assertOneWarning(t *testing.T, h *countingHandler) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	assert.Empty(t, h.other, "no other records")
	if assert.Len(t, h.warns, 1, "one warning per server") {
		assert.Contains(t, h.warns[0], "storm limiter failed")
		assert.Contains(t, h.warns[0], "redis limiter")
	}
}

// countingHandler is a slog.Handler that counts, by route, the error
// records and the records and reports its summaries left out, and keeps
// the warnings.
type countingHandler struct {
	mu      sync.Mutex
	byRoute map[string]*routeCounts
	warns   []string // message and error
	other   []string // any other record's message
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *countingHandler) WithGroup(string) slog.Handler            { return h }

func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value; return true })
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.byRoute[attrs["route"].String()]
	if c == nil {
		c = &routeCounts{}
		h.byRoute[attrs["route"].String()] = c
	}
	switch r.Message {
	case "request failed":
		c.records++
	case "echoerr: repeated errors left out":
		c.recordsLeftOut += int(attrs["records_left_out"].Int64())
		c.reportsLeftOut += int(attrs["reports_left_out"].Int64())
	default:
		if r.Level == slog.LevelWarn {
			h.warns = append(h.warns, r.Message+" error="+attrs["error"].String())
			return nil
		}
		h.other = append(h.other, r.Message)
	}
	return nil
}

func (h *countingHandler) route(route string) routeCounts {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c := h.byRoute[route]; c != nil {
		return *c
	}
	return routeCounts{}
}

func (h *countingHandler) warnings() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.warns)
}

// awayFromEdge waits, when the current window ends within 10 seconds,
// until the next one has begun, so that no window ends during the test.
func awayFromEdge(t *testing.T) {
	t.Helper()
	now := time.Now()
	if left := now.Truncate(window).Add(window).Sub(now); left < 10*time.Second {
		t.Logf("waiting %v for the next window", left)
		time.Sleep(left + 100*time.Millisecond)
	}
}

// client returns a client for the limiter at addr, closed at the end.
func client(t *testing.T, addr string, timeout time.Duration) *redis.Client {
	t.Helper()
	rdb := NewRedisClient(addr, timeout)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// redisServer is a redis-server process on loopback.
type redisServer struct {
	addr string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	out  *syncBuffer
	once sync.Once
}

// startRedis starts a redis-server on a free loopback port, with no
// persistence, waits until it answers PING, and stops it at the end of the
// test. Without redis-server on PATH the test fails: CI installs it.
func startRedis(t *testing.T) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server is not installed; these tests need it: apt-get install redis-server")
	var last string
	for range 3 { // another process may take the free port first
		rs := &redisServer{addr: closedPort(t), done: make(chan struct{}), out: &syncBuffer{}}
		_, port, _ := net.SplitHostPort(rs.addr)
		rs.cmd = exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
		rs.cmd.Stdout, rs.cmd.Stderr = rs.out, rs.out
		require.NoError(t, rs.cmd.Start())
		go func() { _ = rs.cmd.Wait(); close(rs.done) }()
		t.Cleanup(rs.stop)
		if rs.ready() {
			return rs
		}
		rs.stop()
		last = rs.out.String()
	}
	require.FailNow(t, "redis-server did not answer PING", "its output:\n%s", last)
	return nil
}

// ready waits up to 10 seconds for PING to answer.
func (rs *redisServer) ready() bool {
	rdb := redis.NewClient(&redis.Options{Addr: rs.addr, MaxRetries: -1, DialTimeout: time.Second})
	defer rdb.Close()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		select {
		case <-rs.done:
			return false
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// stop kills the server and waits for it to exit.
func (rs *redisServer) stop() {
	rs.once.Do(func() {
		_ = rs.cmd.Process.Kill()
		<-rs.done
	})
}

// syncBuffer is a bytes.Buffer safe for the process's writes and a read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
