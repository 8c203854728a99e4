package facetest

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A Bencher is a Face whose driver can also run error handlers directly,
// without routing, on a context set up as Echo's ServeHTTP sets one up: the
// benchmarks measure the error handler, not Echo.
type Bencher interface {
	Face
	// BenchEcho returns Echo's own default error handler (v5:
	// DefaultHTTPErrorHandler(false)), the reference of every benchmark.
	BenchEcho() BenchHandler
	// BenchEchoerr returns echoerr.New(opts...).
	BenchEchoerr(opts ...Option) BenchHandler
	// BenchFloor returns a handler that calls WriteFloor: the physical
	// limit of the harness.
	BenchFloor(code int) BenchHandler
}

// A BenchHandler handles err for one request, writing to w, on a context
// taken from Echo's pool and reset, as Echo's ServeHTTP does.
type BenchHandler func(w http.ResponseWriter, r *http.Request, err error)

// floorBodies are the bodies echoerr's JSON renderer writes for the errors
// of the 404 and 500 benchmarks.
var floorBodies = map[int][]byte{
	http.StatusNotFound:            []byte(`{"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}` + "\n"),
	http.StatusInternalServerError: []byte(`{"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}` + "\n"),
}

// WriteFloor writes what echoerr's JSON renderer writes for a 404 or a 500
// of the benchmarks, from constants, setting each header as http.Header.Set
// does: the floor the benchmarks compare echoerr with.
// TestBenchmarkFloor holds it to echoerr's bytes.
func WriteFloor(w http.ResponseWriter, code int) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	h["Cache-Control"] = []string{"no-store"}
	w.WriteHeader(code)
	_, _ = w.Write(floorBodies[code])
}

// discardWriter is a ResponseWriter that forgets what it is given, so that
// the benchmarks measure the handlers rather than a recorder.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// benchLoop runs h on err for each iteration.
func benchLoop(b *testing.B, h BenchHandler, r *http.Request, err error) {
	b.Helper()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h(w, r, err)
	}
}

// quietLogger logs nothing, as Echo's default handler logs nothing.
var quietLogger = slog.New(slog.DiscardHandler)

// benchEchoerr is echoerr with the JSON renderer and a discarding logger,
// plus opts.
func benchEchoerr(f Bencher, opts ...Option) BenchHandler {
	return f.BenchEchoerr(append([]Option{f.WithLogger(quietLogger), f.WithRenderer(f.JSON())}, opts...)...)
}

// Benchmarks runs the benchmark suite on a face. Each case runs Echo's own
// default handler (h=echo) in the same run as echoerr (h=echoerr), and for
// the commonest errors the floor (h=floor), so that benchstat -col /h reads
// them side by side:
//
//	JSON404       the routing 404, the error scanners flood a service with
//	Unknown500    an error without a status: a failed database call
//	Wrapped409    a %w-wrapped HTTP error (Echo v4's default answers 500)
//	TypedHit      an error an OnType handler takes, leaving the rendering
//	Dispatch      finding the handler among 0, 50 or 500 registered ones,
//	              for a 1- or 10-deep chain ending in a 409
//	Join100       errors.Join of 100 leaves, the last a 404
//	Render404     the 404 with each renderer (/r=...)
//	Scope         a 404 with 1 or 50 sibling scopes, inside the last or outside all
//	Storm         a storm of one 500 (logged and reported) or one 404 (logged),
//	              to a JSON log handler, with storm control off and on
func Benchmarks(b *testing.B, f Bencher) {
	target := func(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }
	pair := func(b *testing.B, path string, err error, opts ...Option) {
		b.Run("h=echo", func(b *testing.B) { benchLoop(b, f.BenchEcho(), target(path), err) })
		b.Run("h=echoerr", func(b *testing.B) { benchLoop(b, benchEchoerr(f, opts...), target(path), err) })
	}
	floor := func(b *testing.B, path string, code int) {
		b.Run("h=floor", func(b *testing.B) { benchLoop(b, f.BenchFloor(code), target(path), nil) })
	}
	b.Run("JSON404", func(b *testing.B) {
		pair(b, "/no/such/page", f.NotFound())
		floor(b, "/no/such/page", http.StatusNotFound)
	})
	b.Run("Unknown500", func(b *testing.B) {
		pair(b, "/orders/7", errors.New("pq: connection refused"))
		floor(b, "/orders/7", http.StatusInternalServerError)
	})
	b.Run("Wrapped409", func(b *testing.B) {
		pair(b, "/users", fmt.Errorf("create user: %w", f.HTTPError(http.StatusConflict, "user exists")))
	})
	b.Run("TypedHit", func(b *testing.B) {
		pair(b, "/users", fmt.Errorf("validate: %w", &InvalidAPIUsage{Message: "invalid email", Code: http.StatusUnprocessableEntity}),
			f.OnType(TypeInvalidAPIUsage, func(Ctx, error) error { return nil }))
	})
	b.Run("Dispatch", func(b *testing.B) {
		for _, depth := range []int{1, 10} {
			err := wrapDeep(f.HTTPError(http.StatusConflict, "conflict"), depth)
			b.Run(fmt.Sprintf("depth=%d/handlers=0/h=echo", depth), func(b *testing.B) {
				benchLoop(b, f.BenchEcho(), target("/x"), err)
			})
			for _, n := range []int{0, 50, 500} {
				b.Run(fmt.Sprintf("depth=%d/handlers=%d/h=echoerr", depth, n), func(b *testing.B) {
					benchLoop(b, benchEchoerr(f, manyHandlers(f, n)...), target("/x"), err)
				})
			}
		}
	})
	b.Run("Join100", func(b *testing.B) {
		leaves := make([]error, 100)
		for i := range leaves[:99] {
			leaves[i] = errors.New("leaf " + strconv.Itoa(i))
		}
		leaves[99] = f.NotFound()
		pair(b, "/batch", errors.Join(leaves...))
	})
	b.Run("Render404", func(b *testing.B) {
		const chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
		req := target("/no/such/page")
		req.Header.Set("Accept", chrome)
		b.Run("r=echo", func(b *testing.B) { benchLoop(b, f.BenchEcho(), req, f.NotFound()) })
		for _, rc := range []struct {
			name string
			r    Renderer
		}{
			{"r=json", f.JSON()}, {"r=html", f.HTML(nil)}, {"r=problem", f.Problem()}, {"r=text", f.Text()},
			{"r=echojson", f.EchoJSON()}, {"r=negotiate", f.Negotiate(f.JSON(), f.HTML(nil), f.Problem(), f.Text())},
		} {
			b.Run(rc.name, func(b *testing.B) {
				benchLoop(b, f.BenchEchoerr(f.WithLogger(quietLogger), f.WithRenderer(rc.r)), req, f.NotFound())
			})
		}
	})
	b.Run("Storm", func(b *testing.B) { benchStorm(b, f) })
	b.Run("Scope", func(b *testing.B) {
		for _, kind := range []string{"group", "param", "host"} {
			for _, n := range []int{1, 50} {
				for _, where := range []string{"inside", "outside"} {
					req := scopeRequest(kind, n, where)
					b.Run(fmt.Sprintf("%s/scopes=%d/%s", kind, n, where), func(b *testing.B) {
						benchLoop(b, benchEchoerr(f, siblingScopes(f, kind, n)...), req, f.NotFound())
					})
				}
			}
		}
	})
}

// wrapDeep wraps err depth-1 times, so the chain has depth links.
func wrapDeep(err error, depth int) error {
	for i := 1; i < depth; i++ {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	return err
}

// manyHandlers registers n handlers that do not match the 409 of
// Dispatch: sentinels, a concrete type, codes and ranges, in the
// proportions a large service might have.
func manyHandlers(f Face, n int) []Option {
	pass := func(Ctx, error) error { return f.Pass() }
	opts := make([]Option, 0, n)
	for i := 0; len(opts) < n; i++ {
		switch i % 5 {
		case 0, 1:
			opts = append(opts, f.OnError(errors.New("sentinel "+strconv.Itoa(i)), pass))
		case 2:
			opts = append(opts, f.OnCode(500+i%100, pass))
		case 3:
			opts = append(opts, f.OnType(TypeInvalidAPIUsage, pass))
		case 4:
			opts = append(opts, f.OnRange(500, 500+i%100, pass))
		}
	}
	return opts
}

// siblingScopes returns n sibling scopes of a kind, numbered 0..n-1:
// "group" (/s0, /s1, ...), "param" (/:lang/s0, ...) or "host" (s0.example,
// ...). Each sets a renderer and a 404 handler, so none is trivially empty.
func siblingScopes(f Face, kind string, n int) []Option {
	var opts []Option
	for i := range n {
		inner := []Option{f.WithRenderer(f.JSON()), f.OnCode(http.StatusNotFound, func(Ctx, error) error { return nil })}
		switch kind {
		case "group":
			opts = append(opts, f.Group(fmt.Sprintf("/s%d", i), inner...))
		case "param":
			opts = append(opts, f.Group(fmt.Sprintf("/:lang/s%d", i), inner...))
		case "host":
			opts = append(opts, f.Host(fmt.Sprintf("s%d.example", i), inner...))
		}
	}
	return opts
}

// scopeRequest is a request inside the last of n sibling scopes of kind,
// or outside all of them.
func scopeRequest(kind string, n int, where string) *http.Request {
	last := n - 1
	path, host := fmt.Sprintf("/s%d/x", last), "www.example"
	switch kind {
	case "param":
		path = fmt.Sprintf("/en/s%d/x", last)
	case "host":
		path, host = "/x", fmt.Sprintf("s%d.example", last)
	}
	if where == "outside" {
		path, host = "/other/x", "www.example"
	}
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = host
	return r
}

// TestBenchmarkFloor keeps the floor honest: for the 404 and the 500 of the
// benchmarks it writes echoerr's status, headers and body, byte for byte.
func TestBenchmarkFloor(t *testing.T, f Bencher) {
	for code, err := range map[int]error{http.StatusNotFound: f.NotFound(), http.StatusInternalServerError: errors.New("pq: connection refused")} {
		want, got := httptest.NewRecorder(), httptest.NewRecorder()
		benchEchoerr(f)(want, httptest.NewRequest(http.MethodGet, "/x", nil), err)
		f.BenchFloor(code)(got, httptest.NewRequest(http.MethodGet, "/x", nil), nil)
		require.Equal(t, code, want.Code)
		assert.Equal(t, want.Code, got.Code)
		assert.Equal(t, want.Header(), got.Header())
		assert.Equal(t, want.Body.String(), got.Body.String())
	}
}

// TestAllocations pins what handling the commonest errors costs in
// allocations on a face, so that a change that adds one shows up as a
// failure rather than as a slower benchmark. want is the face's figure;
// under the race detector, where sync.Pool drops items, only an upper bound
// is checked.
func TestAllocations(t *testing.T, f Bencher, want float64, race bool) {
	for _, tc := range []struct {
		name string
		err  error
		more []Option
	}{
		{"JSON routing 404", f.NotFound(), nil},
		{"JSON unknown 500", errors.New("pq: connection refused"), nil},
		// A reporter costs a 4xx nothing (it is not called); what a 5xx's
		// call costs depends on the reporter, here the driver's adapter.
		{"JSON routing 404 with a reporter", f.NotFound(), []Option{f.WithReporter(func(Ctx, Canonical) {})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := benchEchoerr(f, tc.more...)
			r := httptest.NewRequest(http.MethodGet, "/no/such/page", nil)
			w := &discardWriter{h: http.Header{}}
			run := func() { clear(w.h); h(w, r, tc.err) }
			run() // warm the pools
			got := testing.AllocsPerRun(100, run)
			if race {
				assert.LessOrEqual(t, got, want+2)
				return
			}
			assert.Equal(t, want, got)
		})
	}
}

// benchStorm is the Storm case: the same error again and again, logged by
// slog's JSON handler (to io.Discard) and reported to a reporter that does
// nothing, with storm control off and on (its defaults: past the first
// records and reports of the minute, each error is counted, not written).
func benchStorm(b *testing.B, f Bencher) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	for _, tc := range []struct {
		name, path string
		err        error
	}{
		{"500", "/orders/7", errors.New("pq: connection refused")},
		{"404", "/no/such/page", f.NotFound()},
	} {
		for _, on := range []bool{false, true} {
			opts := []Option{f.WithLogger(logger), f.WithRenderer(f.JSON()), f.WithReporter(func(Ctx, Canonical) {})}
			if on {
				opt, _ := f.WithStormControl(Storms{})
				opts = append(opts, opt)
			}
			b.Run(fmt.Sprintf("%s/limits=%v", tc.name, map[bool]string{false: "off", true: "on"}[on]), func(b *testing.B) {
				benchLoop(b, f.BenchEchoerr(opts...), httptest.NewRequest(http.MethodGet, tc.path, nil), tc.err)
			})
		}
	}
}
