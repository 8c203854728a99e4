package echoerr_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/echoerr/echoerr/internal/engine/facetest"
	"github.com/echoerr/echoerr/v5"
)

// The benchmarks are the shared suite's (facetest.Benchmarks), on Echo v5:
//
//	go test -run '^$' -bench Face -benchmem -count 10 . > bench.txt
//	benchstat -col /h bench.txt
//
// scripts/bench runs them on both faces and writes BENCHMARKS.md.

func BenchmarkFace(b *testing.B) { facetest.Benchmarks(b, v5Face{}) }

// TestBenchmarkFloor: the floor writes echoerr's bytes.
func TestBenchmarkFloor(t *testing.T) { facetest.TestBenchmarkFloor(t, v5Face{}) }

// TestAllocationsPerError: a JSON 404 or 500 costs one allocation on Echo
// v5, the engine's exchange (Echo v5 keeps the context store, where
// echoerr records the request, across requests).
func TestAllocationsPerError(t *testing.T) { facetest.TestAllocations(t, v5Face{}, 1, raceEnabled) }

func benchEcho() *echo.Echo {
	e := echo.New()
	e.Logger = slog.New(slog.DiscardHandler)
	return e
}

// benchRun runs h as Echo's ServeHTTP would: on a context from the pool.
func benchRun(e *echo.Echo, h echo.HTTPErrorHandler) facetest.BenchHandler {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		c := e.AcquireContext()
		c.Reset(r, w)
		h(c, err)
		e.ReleaseContext(c)
	}
}

func (v5Face) BenchEcho() facetest.BenchHandler {
	return benchRun(benchEcho(), echo.DefaultHTTPErrorHandler(false))
}

func (v5Face) BenchEchoerr(opts ...facetest.Option) facetest.BenchHandler {
	return benchRun(benchEcho(), echoerr.New(options(opts)...))
}

func (v5Face) BenchFloor(code int) facetest.BenchHandler {
	return benchRun(benchEcho(), func(c *echo.Context, _ error) { facetest.WriteFloor(c.Response(), code) })
}
