package echoerr_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// Every benchmark here runs its echoerr case beside Echo's own
// DefaultHTTPErrorHandler on the same error, as sub-benchmarks named
// h=echo and h=echoerr, so that benchstat can compare them from one run:
//
//	go test -run '^$' -bench . -count 10 > bench.txt
//	benchstat -col /h bench.txt

// discardWriter is a ResponseWriter that forgets what it is given, so that
// the benchmarks measure the handlers rather than a recorder.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// benchHandler runs h on err for each iteration, on a context set up as
// Echo's ServeHTTP sets it up.
func benchHandler(b *testing.B, e *echo.Echo, h echo.HTTPErrorHandler, req *http.Request, err error) {
	b.Helper()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		c := e.AcquireContext()
		c.Reset(req, w)
		h(err, c)
		e.ReleaseContext(c)
	}
}

// quietLogger logs nothing, as Echo's default handler logs nothing.
var quietLogger = slog.New(slog.DiscardHandler)

func newBenchEcho() *echo.Echo {
	e := echo.New()
	e.Logger.SetOutput(discard{})
	return e
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// benchPair runs Echo's default handler and echoerr (with opts) on err.
func benchPair(b *testing.B, target string, err error, opts ...echoerr.Option) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	b.Run("h=echo", func(b *testing.B) {
		e := newBenchEcho()
		benchHandler(b, e, e.DefaultHTTPErrorHandler, req, err)
	})
	b.Run("h=echoerr", func(b *testing.B) {
		e := newBenchEcho()
		h := echoerr.New(append([]echoerr.Option{echoerr.WithLogger(quietLogger), echoerr.WithRenderer(echoerr.JSON())}, opts...)...)
		benchHandler(b, e, h, req, err)
	})
}

// floorBodies are the bodies echoerr's JSON renderer writes for the errors
// of BenchmarkJSON404 and BenchmarkUnknown500.
var floorBodies = map[int][]byte{
	http.StatusNotFound:            []byte(`{"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}` + "\n"),
	http.StatusInternalServerError: []byte(`{"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}` + "\n"),
}

// floorHandler is the physical limit for this harness, which the issue asks
// echoerr to stay within 1.15x of: a handler that only writes a constant
// body of the same size with the same headers. It sets each header as
// http.Header.Set does, a fresh one-value slice. TestBenchmarkFloorWritesWhatEchoerrWrites
// keeps it honest: its response must equal echoerr's, byte for byte.
func floorHandler(code int) echo.HTTPErrorHandler {
	body := floorBodies[code]
	return func(_ error, c echo.Context) {
		h := c.Response().Header()
		h["Content-Type"] = []string{echo.MIMEApplicationJSON}
		h["X-Content-Type-Options"] = []string{"nosniff"}
		h["Cache-Control"] = []string{"no-store"}
		c.Response().WriteHeader(code)
		_, _ = c.Response().Write(body)
	}
}

// benchFloor runs the floor for code as the sub-benchmark h=floor.
func benchFloor(b *testing.B, target string, code int) {
	b.Run("h=floor", func(b *testing.B) {
		benchHandler(b, newBenchEcho(), floorHandler(code), httptest.NewRequest(http.MethodGet, target, nil), nil)
	})
}

// BenchmarkJSON404 is the routing 404, the error scanners flood a service with.
func BenchmarkJSON404(b *testing.B) {
	benchPair(b, "/no/such/page", echo.ErrNotFound)
	benchFloor(b, "/no/such/page", http.StatusNotFound)
}

// BenchmarkUnknown500 is an error without a status: a failed database call.
func BenchmarkUnknown500(b *testing.B) {
	benchPair(b, "/orders/7", errors.New("pq: connection refused"))
	benchFloor(b, "/orders/7", http.StatusInternalServerError)
}

// BenchmarkWrapped409 is a %w-wrapped *echo.HTTPError (Echo's default
// answers 500, echoerr keeps the 409).
func BenchmarkWrapped409(b *testing.B) {
	benchPair(b, "/users", fmt.Errorf("create user: %w", echo.NewHTTPError(http.StatusConflict, "user exists")))
}

type benchTypedError struct{ field string }

func (e *benchTypedError) Error() string   { return "invalid " + e.field }
func (e *benchTypedError) StatusCode() int { return http.StatusUnprocessableEntity }

// BenchmarkTypedHit is an error matched by an OnType handler that leaves
// the rendering to echoerr.
func BenchmarkTypedHit(b *testing.B) {
	benchPair(b, "/users", fmt.Errorf("validate: %w", &benchTypedError{field: "email"}),
		echoerr.OnType(func(echo.Context, *benchTypedError) error { return nil }))
}

// wrapDeep wraps err depth-1 times, so the chain has depth links.
func wrapDeep(err error, depth int) error {
	for i := 1; i < depth; i++ {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	return err
}

// manyHandlers registers n handlers that do not match the benchmarks' 409:
// sentinels, concrete types, codes and ranges, in the proportions a large
// service might have.
func manyHandlers(n int) []echoerr.Option {
	opts := make([]echoerr.Option, 0, n)
	pass := func(echo.Context, error) error { return echoerr.Pass }
	for i := 0; len(opts) < n; i++ {
		switch i % 5 {
		case 0, 1:
			opts = append(opts, echoerr.OnError(errors.New("sentinel "+strconv.Itoa(i)), pass))
		case 2:
			opts = append(opts, echoerr.OnCode(500+i%100, pass))
		case 3:
			opts = append(opts, echoerr.OnType(func(echo.Context, *benchTypedError) error { return echoerr.Pass }))
		case 4:
			opts = append(opts, echoerr.OnRange(500, 500+i%100, pass))
		}
	}
	return opts
}

// BenchmarkDispatch measures finding the handler among 0, 50 or 500
// registered ones for a 1- or 10-deep chain ending in a 409.
func BenchmarkDispatch(b *testing.B) {
	for _, depth := range []int{1, 10} {
		err := wrapDeep(echo.NewHTTPError(http.StatusConflict, "conflict"), depth)
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		b.Run(fmt.Sprintf("depth=%d/handlers=0/h=echo", depth), func(b *testing.B) {
			e := newBenchEcho()
			benchHandler(b, e, e.DefaultHTTPErrorHandler, req, err)
		})
		for _, n := range []int{0, 50, 500} {
			b.Run(fmt.Sprintf("depth=%d/handlers=%d/h=echoerr", depth, n), func(b *testing.B) {
				opts := append(manyHandlers(n), echoerr.WithLogger(quietLogger), echoerr.WithRenderer(echoerr.JSON()))
				benchHandler(b, newBenchEcho(), echoerr.New(opts...), req, err)
			})
		}
	}
}

// BenchmarkJoin100 is an errors.Join of 100 leaves, the last a 404.
func BenchmarkJoin100(b *testing.B) {
	leaves := make([]error, 100)
	for i := range leaves[:99] {
		leaves[i] = errors.New("leaf " + strconv.Itoa(i))
	}
	leaves[99] = echo.ErrNotFound
	benchPair(b, "/batch", errors.Join(leaves...))
}
