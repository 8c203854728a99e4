package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	sentryecho "github.com/getsentry/sentry-go/echo"
	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/httperr"
	echoerr "github.com/echoerr/echoerr/v5"
)

// The tests share sentry-go's process-wide hub (sentryecho clones it for
// each request, as it does in production), so none of them is parallel:
// each one installs a fresh client with a recording transport.

// recorder is a sentry.Transport that keeps every event, serialized as
// Sentry would send it. sentry-go hands events to a custom transport
// synchronously (a custom transport bypasses the telemetry buffer), so they
// are all here when the request returns; the tests flush anyway, as a
// server does on shutdown.
type recorder struct {
	mu     sync.Mutex
	events []recorded
}

type recorded struct {
	event *sentry.Event
	json  []byte
	m     map[string]any // json decoded
}

func (r *recorder) Configure(sentry.ClientOptions)        {}
func (r *recorder) Flush(time.Duration) bool              { return true }
func (r *recorder) FlushWithContext(context.Context) bool { return true }
func (r *recorder) Close()                                {}

func (r *recorder) SendEvent(ev *sentry.Event) {
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, recorded{ev, b, m})
}

// take returns the events recorded since the last call, split into error
// events and transactions.
func (r *recorder) take(t *testing.T) (errs, txs []recorded) {
	t.Helper()
	require.True(t, sentry.Flush(time.Second))
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ev := range r.events {
		if ev.event.Type == "transaction" {
			txs = append(txs, ev)
		} else {
			errs = append(errs, ev)
		}
	}
	r.events = nil
	return errs, txs
}

// installSentry gives sentry-go's global hub a fresh client that records
// what it would send. It keeps every transaction: sentry-go drops those
// of 404 responses by default (TraceIgnoreStatusCodes), and the tests
// check the status of every response.
func installSentry(t *testing.T, mutate ...func(*sentry.ClientOptions)) *recorder {
	t.Helper()
	rec := &recorder{}
	opts := clientOptions("", rec)
	opts.TraceIgnoreStatusCodes = [][]int{}
	for _, m := range mutate {
		m(&opts)
	}
	require.NoError(t, sentry.Init(opts))
	t.Cleanup(func() { sentry.CurrentHub().BindClient(nil) })
	return rec
}

// quiet makes e log nothing: echoerr logs through e.Logger by default.
func quiet(e *echo.Echo) *echo.Echo {
	e.Logger = slog.New(slog.DiscardHandler)
	return e
}

func serve(e *echo.Echo, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func get(e *echo.Echo, path string) *httptest.ResponseRecorder {
	return serve(e, httptest.NewRequest(http.MethodGet, path, nil))
}

// goneRequest is a request whose client has gone away: its context is
// cancelled, as net/http cancels it when the connection closes.
func goneRequest(path string) *http.Request {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
}

// txStatus returns what the transaction says about the response: its span
// status and its http.response.status_code.
func txStatus(t *testing.T, tx recorded) (status string, code int) {
	t.Helper()
	trace, ok := tx.m["contexts"].(map[string]any)["trace"].(map[string]any)
	require.True(t, ok, "transaction without a trace context: %s", tx.json)
	status, _ = trace["status"].(string)
	data, _ := trace["data"].(map[string]any)
	f, _ := data["http.response.status_code"].(float64)
	return status, int(f)
}

func spanStatus(code int) string {
	b, _ := json.Marshal(sentry.HTTPtoSpanStatus(code))
	return strings.Trim(string(b), `"`)
}

// The counts of events are compared with require.Equal rather than
// require.Len, which would print every event in full.

// exceptions returns the event's exceptions, innermost first as Sentry
// orders them.
func exceptions(t *testing.T, ev recorded) []sentry.Exception {
	t.Helper()
	require.NotEmpty(t, ev.event.Exception, "event without exceptions: %s", ev.json)
	return ev.event.Exception
}

func functions(st *sentry.Stacktrace) []string {
	if st == nil {
		return nil
	}
	var out []string
	for _, f := range st.Frames {
		out = append(out, f.Module+"."+f.Function)
	}
	return out
}

func TestEvery5xxIsCapturedOnce(t *testing.T) {
	rec := installSentry(t)
	e := quiet(newServer(&echoerr.StormControl{}))
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/boom", http.StatusInternalServerError},
		{"/users/7", http.StatusInternalServerError},
		{"/panic", http.StatusInternalServerError},
		{"/slow", http.StatusServiceUnavailable},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := get(e, tc.path)
			require.Equal(t, tc.code, res.Code, res.Body.String())
			errs, txs := rec.take(t)
			require.Equal(t, 1, len(errs), "error events")
			require.Equal(t, 1, len(txs), "transactions")
			assert.Equal(t, fmt.Sprint(tc.code), errs[0].event.Tags["http.status_code"])
			status, code := txStatus(t, txs[0])
			assert.Equal(t, spanStatus(tc.code), status)
			assert.Equal(t, tc.code, code)
		})
	}
}

func TestNo4xxIsCapturedByDefault(t *testing.T) {
	rec := installSentry(t)
	e := quiet(newServer(&echoerr.StormControl{}))
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/users/2", http.StatusNotFound},          // echoerr.NotFound
		{http.MethodGet, "/wrapped-404", http.StatusNotFound},      // fmt.Errorf("...: %w", echo.ErrNotFound)
		{http.MethodGet, "/nope", http.StatusNotFound},             // the router's 404
		{http.MethodPost, "/users/1", http.StatusMethodNotAllowed}, // the router's 405
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := serve(e, httptest.NewRequest(tc.method, tc.path, nil))
			require.Equal(t, tc.code, res.Code)
			errs, txs := rec.take(t)
			assert.Empty(t, errs, "error events for a %d", tc.code)
			require.Equal(t, 1, len(txs))
			status, code := txStatus(t, txs[0])
			assert.Equal(t, spanStatus(tc.code), status)
			assert.Equal(t, tc.code, code)
		})
	}
}

// TestTransactionStatusIsTheResponseStatus covers every kind of response,
// 200 and a gone client's 499 included: sentryecho reads the status of
// Echo's Response after the chain, which echoerr.Middleware has written
// (or, for a gone client, recorded) by then.
func TestTransactionStatusIsTheResponseStatus(t *testing.T) {
	rec := installSentry(t)
	e := quiet(newServer(&echoerr.StormControl{}))
	for _, tc := range []struct {
		req  *http.Request
		code int
	}{
		{httptest.NewRequest(http.MethodGet, "/users/1", nil), http.StatusOK},
		{httptest.NewRequest(http.MethodGet, "/users/2", nil), http.StatusNotFound},
		{httptest.NewRequest(http.MethodGet, "/wrapped-404", nil), http.StatusNotFound},
		{httptest.NewRequest(http.MethodGet, "/nope", nil), http.StatusNotFound},
		{httptest.NewRequest(http.MethodPost, "/users/1", nil), http.StatusMethodNotAllowed},
		{httptest.NewRequest(http.MethodGet, "/boom", nil), http.StatusInternalServerError},
		{httptest.NewRequest(http.MethodGet, "/panic", nil), http.StatusInternalServerError},
		{httptest.NewRequest(http.MethodGet, "/slow", nil), http.StatusServiceUnavailable},
		{goneRequest("/wait"), httperr.StatusClientClosedRequest},
	} {
		t.Run(tc.req.Method+" "+tc.req.URL.Path, func(t *testing.T) {
			res := serve(e, tc.req)
			if tc.code != httperr.StatusClientClosedRequest { // nothing is written for a gone client
				require.Equal(t, tc.code, res.Code)
			}
			errs, txs := rec.take(t)
			require.Equal(t, 1, len(txs))
			status, code := txStatus(t, txs[0])
			assert.Equal(t, spanStatus(tc.code), status, "span status")
			assert.Equal(t, tc.code, code, "http.response.status_code")
			if tc.code == httperr.StatusClientClosedRequest {
				assert.Empty(t, errs, "a gone client is reported")
			}
		})
	}
}

func TestEventCarriesRequestRouteStatusRequestIDAndChain(t *testing.T) {
	rec := installSentry(t)
	e := quiet(newServer(&echoerr.StormControl{}))
	req := httptest.NewRequest(http.MethodGet, "/users/7?full=1", nil)
	req.Header.Set("User-Agent", "echoerr-test")
	res := serve(e, req)
	require.Equal(t, http.StatusInternalServerError, res.Code)
	id := res.Header().Get(echo.HeaderXRequestID)
	require.NotEmpty(t, id)

	errs, txs := rec.take(t)
	require.Equal(t, 1, len(errs))
	require.Equal(t, 1, len(txs))
	ev := errs[0]

	// The request.
	require.NotNil(t, ev.event.Request)
	assert.Equal(t, http.MethodGet, ev.event.Request.Method)
	assert.Equal(t, "http://example.com/users/7", ev.event.Request.URL)
	assert.Equal(t, "full=1", ev.event.Request.QueryString)
	assert.Equal(t, "echoerr-test", ev.event.Request.Headers["User-Agent"])
	// The route, the status and the request id.
	assert.Equal(t, "GET /users/:id", ev.event.Transaction)
	assert.Equal(t, "/users/:id", ev.event.Tags["http.route"])
	assert.Equal(t, "500", ev.event.Tags["http.status_code"])
	assert.Equal(t, map[string]any{"status_code": float64(500)}, ev.m["contexts"].(map[string]any)["response"])
	assert.Equal(t, id, ev.event.Tags["request_id"])
	assert.Equal(t, sentry.LevelError, ev.event.Level)

	// The chain, innermost first: the store's error, the stack carrier, the
	// route's wrapping.
	xs := exceptions(t, ev)
	require.Len(t, xs, 3, "%s", ev.json)
	assert.Equal(t, "*errors.errorString", xs[0].Type)
	assert.Equal(t, errUserStore.Error(), xs[0].Value)
	assert.Equal(t, "*main.tracedError", xs[1].Type)
	assert.Equal(t, "*fmt.wrapError", xs[2].Type)
	assert.Equal(t, "load user 7: "+errUserStore.Error(), xs[2].Value)
	// The stack the error carries, from where it was made; no stack made up
	// for the links without one.
	require.NotNil(t, xs[1].Stacktrace)
	frames := functions(xs[1].Stacktrace)
	assert.Contains(t, frames[len(frames)-1], "addRoutes.func1", "innermost frame: the route")
	assert.Nil(t, xs[0].Stacktrace)
	assert.Nil(t, xs[2].Stacktrace)

	// The event belongs to the request's transaction.
	evTrace := ev.m["contexts"].(map[string]any)["trace"].(map[string]any)
	txTrace := txs[0].m["contexts"].(map[string]any)["trace"].(map[string]any)
	assert.Equal(t, txTrace["trace_id"], evTrace["trace_id"])
	assert.Equal(t, "GET /users/:id", txs[0].event.Transaction)
}

func TestPanicEventCarriesThePanicsStack(t *testing.T) {
	rec := installSentry(t)
	e := quiet(newServer(&echoerr.StormControl{}))
	res := get(e, "/panic")
	require.Equal(t, http.StatusInternalServerError, res.Code)
	assert.NotContains(t, res.Body.String(), "index out of range", "the panic's text reaches the client")

	errs, _ := rec.take(t)
	require.Equal(t, 1, len(errs))
	xs := exceptions(t, errs[0])
	// The outermost link is echoerr.Recover's error, which carries the
	// frames; the panic's own error is inside it, with the same text.
	outer := xs[len(xs)-1]
	assert.Equal(t, recoveredType(t), outer.Type)
	assert.Equal(t, "runtime error: index out of range [3] with length 1", outer.Value)
	require.Len(t, xs, 2, "%s", errs[0].json)
	assert.Equal(t, "runtime.boundsError", xs[0].Type)
	assert.Equal(t, outer.Value, xs[0].Value)
	require.NotNil(t, outer.Stacktrace, "no frames Sentry can show")
	frames := functions(outer.Stacktrace)
	// Sentry orders frames oldest first: the last one is where it panicked,
	// not the recovering function's or the reporter's. (The middleware
	// itself, echoerr.Recover's, is a caller of the route: it is there.)
	assert.Contains(t, frames[len(frames)-1], "addRoutes.func3")
	for _, f := range frames {
		assert.NotContains(t, f, "echoerr/internal/engine", "the recovering function")
		assert.NotContains(t, f, "reportToSentry")
	}
	assert.Equal(t, "GET /panic", errs[0].event.Transaction)
}

// recoveredType is the Go type of the error echoerr.Recover returns for a
// panic, as Sentry names it.
func recoveredType(t *testing.T) string {
	t.Helper()
	h := echoerr.Recover()(func(*echo.Context) error { panic("x") })
	got := h(echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder()))
	require.Error(t, got)
	return fmt.Sprintf("%T", got)
}

// TestEchoRecoverGivesSentryNoFrames is the control for echoerr.Recover:
// with Echo v5's own middleware.Recover, the panic arrives as a
// *middleware.PanicStackError, whose stack is text: Sentry gets no frames.
func TestEchoRecoverGivesSentryNoFrames(t *testing.T) {
	rec := installSentry(t)
	e := quiet(echo.New())
	h := newErrorHandler(&echoerr.StormControl{})
	e.HTTPErrorHandler = h
	e.Use(sentryecho.New(sentryecho.Options{Repanic: true}))
	e.Use(echoerr.Middleware(h))
	e.Use(middleware.Recover())
	addRoutes(e)

	require.Equal(t, http.StatusInternalServerError, get(e, "/panic").Code)
	errs, _ := rec.take(t)
	require.Equal(t, 1, len(errs))
	xs := exceptions(t, errs[0])
	outer := xs[len(xs)-1]
	assert.Equal(t, "*middleware.PanicStackError", outer.Type)
	assert.Nil(t, outer.Stacktrace)
}

// TestRequestLoggerHandleErrorCapturesOnce puts Echo's RequestLogger inside
// echoerr.Middleware: with HandleError (on in middleware.RequestLogger()
// too) it calls the error handler and returns the error, so the handler
// runs twice for one request, and Sentry still gets one event.
func TestRequestLoggerHandleErrorCapturesOnce(t *testing.T) {
	var logged []int
	configured := middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus:   true,
		HandleError: true,
		LogValuesFunc: func(c *echo.Context, v middleware.RequestLoggerValues) error {
			logged = append(logged, v.Status)
			return nil
		},
	})
	for name, logger := range map[string]echo.MiddlewareFunc{
		"RequestLogger()":                      middleware.RequestLogger(),
		"RequestLoggerWithConfig(HandleError)": configured,
	} {
		t.Run(name, func(t *testing.T) {
			rec := installSentry(t)
			calls := 0
			e := quiet(echo.New())
			h := newErrorHandler(&echoerr.StormControl{})
			counting := func(c *echo.Context, err error) { calls++; h(c, err) }
			e.HTTPErrorHandler = counting
			e.Use(middleware.RequestID())
			e.Use(sentryecho.New(sentryecho.Options{Repanic: true}))
			e.Use(echoerr.Middleware(counting))
			e.Use(logger)
			e.Use(echoerr.Recover())
			addRoutes(e)

			for _, path := range []string{"/boom", "/users/7", "/panic"} {
				calls, logged = 0, nil
				res := get(e, path)
				require.Equal(t, http.StatusInternalServerError, res.Code)
				assert.Equal(t, 2, calls, "%s: the handler is called twice", path)
				if name != "RequestLogger()" {
					assert.Equal(t, []int{http.StatusInternalServerError}, logged, path)
				}
				errs, txs := rec.take(t)
				assert.Equal(t, 1, len(errs), "%s: error events", path)
				require.Equal(t, 1, len(txs))
				status, _ := txStatus(t, txs[0])
				assert.Equal(t, spanStatus(http.StatusInternalServerError), status)
			}
		})
	}
}

func TestSecretsNeverLeaveTheProcess(t *testing.T) {
	for _, pii := range []bool{false, true} {
		t.Run(fmt.Sprintf("SendDefaultPII=%v", pii), func(t *testing.T) {
			rec := installSentry(t, func(o *sentry.ClientOptions) { o.SendDefaultPII = pii })
			token, session, refresh, password := secret(), secret(), secret(), secret()
			e := quiet(newServer(&echoerr.StormControl{}))
			// A route that quotes every secret in its error, after setting a
			// cookie on the response; another that panics with them.
			leak := func(c *echo.Context) error {
				c.SetCookie(&http.Cookie{Name: "refresh", Value: refresh, HttpOnly: true})
				return fmt.Errorf("upstream refused %q (cookie %q, set %q)",
					c.Request().Header.Get("Authorization"), c.Request().Header.Get("Cookie"),
					c.Response().Header().Get("Set-Cookie"))
			}
			e.GET("/leak", leak)
			e.GET("/leak-panic", func(c *echo.Context) error { panic(leak(c)) })
			e.GET("/leak-basic", func(c *echo.Context) error {
				user, pass, _ := c.Request().BasicAuth()
				return fmt.Errorf("login %s:%s failed", user, pass)
			})

			for _, path := range []string{"/leak", "/leak-panic", "/leak-basic"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				if path == "/leak-basic" {
					req.SetBasicAuth("ada", password)
				} else {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				req.Header.Set("Cookie", "session="+session+"; lang=en")
				res := serve(e, req)
				require.Equal(t, http.StatusInternalServerError, res.Code)
				errs, txs := rec.take(t)
				require.Equal(t, 1, len(errs), path)
				require.Equal(t, 1, len(txs), path)
				for _, ev := range append(errs, txs...) {
					assertNoSecret(t, string(ev.json), path+" "+ev.event.Type, token, session, refresh, password)
				}
				// Redacted, not dropped: the message is still useful.
				assert.Contains(t, errs[0].event.Exception[len(errs[0].event.Exception)-1].Value, "[redacted]", path)
			}
		})
	}
}

// assertNoSecret fails when text holds one of the secrets, quoting the
// place rather than the whole event.
func assertNoSecret(t *testing.T, text, what string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if i := strings.Index(text, s); i >= 0 {
			from, to := max(0, i-60), min(len(text), i+len(s)+20)
			t.Errorf("%s: a secret leaves the process: ...%s...", what, text[from:to])
		}
	}
}

func secret() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TestWithoutMiddlewareTheTransactionSaysOK is the control for the wiring:
// with echoerr only as e.HTTPErrorHandler, Echo runs it after sentryecho has
// finished the transaction. sentryecho then reads Echo's Response, still at
// its initial 200, unless the returned error itself (a type assertion, not
// errors.As) is an echo.HTTPStatusCoder: a 500, a wrapped 404, a 503 and a
// gone client are all "200 ok".
func TestWithoutMiddlewareTheTransactionSaysOK(t *testing.T) {
	rec := installSentry(t)
	e := quiet(echo.New())
	e.HTTPErrorHandler = newErrorHandler(&echoerr.StormControl{})
	e.Use(middleware.RequestID())
	e.Use(sentryecho.New(sentryecho.Options{Repanic: true}))
	e.Use(echoerr.Recover())
	addRoutes(e)

	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/boom", nil),
		httptest.NewRequest(http.MethodGet, "/wrapped-404", nil),
		httptest.NewRequest(http.MethodGet, "/slow", nil),
		goneRequest("/wait"),
	} {
		serve(e, req)
		_, txs := rec.take(t)
		require.Equal(t, 1, len(txs))
		status, code := txStatus(t, txs[0])
		assert.Equal(t, "ok", status, req.URL.Path)
		assert.Equal(t, http.StatusOK, code, req.URL.Path)
	}
}

// TestSentryDrops404TransactionsByDefault: with sentry-go's default
// TraceIgnoreStatusCodes, the transactions of 404 responses are dropped,
// wrapped and routing 404s included, because sentryecho sees the status
// the client got; other statuses are kept.
func TestSentryDrops404TransactionsByDefault(t *testing.T) {
	rec := installSentry(t, func(o *sentry.ClientOptions) { o.TraceIgnoreStatusCodes = nil })
	e := quiet(newServer(&echoerr.StormControl{}))
	for _, path := range []string{"/users/2", "/wrapped-404", "/nope"} {
		require.Equal(t, http.StatusNotFound, get(e, path).Code)
		errs, txs := rec.take(t)
		assert.Empty(t, errs, path)
		assert.Empty(t, txs, path)
	}
	require.Equal(t, http.StatusInternalServerError, get(e, "/boom").Code)
	errs, txs := rec.take(t)
	assert.Equal(t, 1, len(errs))
	assert.Equal(t, 1, len(txs))
}

// TestRecoverOutsideSentryCapturesPanicsTwice is the control for the order
// of the recovering middleware: outside sentryecho, the panic passes
// through sentryecho, which captures it itself (without echoerr's status,
// route or redaction) and repanics; echoerr.Recover then hands it to
// echoerr, which captures it again.
func TestRecoverOutsideSentryCapturesPanicsTwice(t *testing.T) {
	rec := installSentry(t)
	e := quiet(echo.New())
	h := newErrorHandler(&echoerr.StormControl{})
	e.HTTPErrorHandler = h
	e.Use(echoerr.Recover())
	e.Use(sentryecho.New(sentryecho.Options{Repanic: true}))
	e.Use(echoerr.Middleware(h))
	addRoutes(e)

	res := get(e, "/panic")
	require.Equal(t, http.StatusInternalServerError, res.Code)
	errs, _ := rec.take(t)
	assert.Equal(t, 2, len(errs))
}

// fakeSentry is a loopback server that takes the envelopes sentry-go's HTTP
// transport sends for a DSN that points to it. It keeps an envelope only
// after a while, as a distant server would answer: a send still in flight
// when run returns is not counted, so that the test does not depend on how
// fast sentry-go's sending goroutine is.
type fakeSentry struct {
	mu        sync.Mutex
	envelopes []string
}

func (f *fakeSentry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	time.Sleep(100 * time.Millisecond)
	f.mu.Lock()
	f.envelopes = append(f.envelopes, string(b))
	f.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (f *fakeSentry) received() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.envelopes, "\n")
}

// TestRunFlushesOnExit runs the demo as main does, with a DSN, so that
// events go through sentry-go's telemetry buffer and HTTP transport (to a
// loopback server standing in for Sentry): when run returns, after the
// server's graceful shutdown, the event of the last request has been sent.
func TestRunFlushesOnExit(t *testing.T) {
	fake := &fakeSentry{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Cleanup(func() { sentry.CurrentHub().BindClient(nil) })
	dsn := "http://public@" + strings.TrimPrefix(srv.URL, "http://") + "/1"

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrs, done := make(chan net.Addr, 1), make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", dsn, func(a net.Addr) { addrs <- a }) }()
	addr := <-addrs

	res, err := http.Get("http://" + addr.String() + "/boom")
	require.NoError(t, err)
	_ = res.Body.Close()
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)

	cancel() // SIGINT, for main
	require.NoError(t, <-done)
	got := fake.received()
	assert.Contains(t, got, `"value":"something broke"`, "the event was not sent before run returned")
	assert.Contains(t, got, `"transaction":"GET /boom"`)
}

// TestDemoRoutes checks what the demo prints as URLs to try.
func TestDemoRoutes(t *testing.T) {
	installSentry(t)
	e := quiet(newServer(&echoerr.StormControl{}))
	res := get(e, "/users/1")
	require.Equal(t, http.StatusOK, res.Code)
	assert.JSONEq(t, `{"id":"1","name":"Ada"}`, res.Body.String())

	res = get(e, "/users/2")
	require.Equal(t, http.StatusNotFound, res.Code)
	assert.JSONEq(t, `{"code":404,"name":"Not Found","description":"There is no user 2."}`, res.Body.String())

	res = get(e, "/boom")
	require.Equal(t, http.StatusInternalServerError, res.Code)
	assert.NotContains(t, res.Body.String(), "something broke")
	assert.True(t, errors.Is(fmt.Errorf("x: %w", withStack(errUserStore)), errUserStore))
}

// TestFingerprintGroupsAndStormsLimitEvents: every event carries echoerr's
// fingerprint, the same for the same failure, and a storm of one failure
// sends the first reports of the minute (5 by default), not every one.
func TestFingerprintGroupsAndStormsLimitEvents(t *testing.T) {
	rec := installSentry(t)
	e := quiet(newServer(&echoerr.StormControl{}))
	for range 8 {
		require.Equal(t, http.StatusInternalServerError, get(e, "/boom").Code)
	}
	get(e, "/users/7")
	errs, _ := rec.take(t)
	require.Len(t, errs, 5+1, "5 of the storm of /boom, then /users/7")
	boom := errs[0].event.Fingerprint
	require.Len(t, boom, 1)
	assert.Regexp(t, "^[0-9a-f]{16}$", boom[0])
	for _, ev := range errs[1:5] {
		assert.Equal(t, boom, ev.event.Fingerprint, "one failure, one fingerprint")
	}
	assert.NotEqual(t, boom, errs[5].event.Fingerprint, "another failure")
}
