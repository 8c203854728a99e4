package echoerr_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/internal/engine/facetest"
)

// The benchmarks are the shared suite's (facetest.Benchmarks), on Echo v4:
//
//	go test -run '^$' -bench Face -benchmem -count 10 . > bench.txt
//	benchstat -col /h bench.txt
//
// scripts/bench runs them on both faces and writes BENCHMARKS.md.

func BenchmarkFace(b *testing.B) { facetest.Benchmarks(b, v4Face{}) }

// TestBenchmarkFloor: the floor writes echoerr's bytes.
func TestBenchmarkFloor(t *testing.T) { facetest.TestBenchmarkFloor(t, v4Face{}) }

// TestAllocationsPerError: a JSON 404 or 500 costs three allocations on
// Echo v4: the engine's one (the exchange), and the two of Echo v4's
// per-request context store, which c.Set creates for echoerr's record of
// the request (Echo v5 keeps its store across requests; there it is one).
func TestAllocationsPerError(t *testing.T) { facetest.TestAllocations(t, v4Face{}, 3, raceEnabled) }

func benchEcho() *echo.Echo {
	e := echo.New()
	e.Logger.SetOutput(discard{})
	return e
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// benchRun runs h as Echo's ServeHTTP would: on a context from the pool.
func benchRun(e *echo.Echo, h echo.HTTPErrorHandler) facetest.BenchHandler {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		c := e.AcquireContext()
		c.Reset(r, w)
		h(err, c)
		e.ReleaseContext(c)
	}
}

func (v4Face) BenchEcho() facetest.BenchHandler {
	e := benchEcho()
	return benchRun(e, e.DefaultHTTPErrorHandler)
}

func (v4Face) BenchEchoerr(opts ...facetest.Option) facetest.BenchHandler {
	return benchRun(benchEcho(), echoerr.New(options(opts)...))
}

func (v4Face) BenchFloor(code int) facetest.BenchHandler {
	return benchRun(benchEcho(), func(_ error, c echo.Context) { facetest.WriteFloor(c.Response(), code) })
}
