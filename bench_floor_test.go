package echoerr_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// TestBenchmarkFloorWritesWhatEchoerrWrites checks that the benchmarks'
// floor handler is a fair limit: for the 404 and the 500 it compares with,
// it writes the same status, headers and body as echoerr in the
// benchmarks' configuration, through the benchmarks' own harness.
func TestBenchmarkFloorWritesWhatEchoerrWrites(t *testing.T) {
	for _, tc := range []struct {
		code int
		err  error
	}{
		{http.StatusNotFound, echo.ErrNotFound},
		{http.StatusInternalServerError, errors.New("pq: connection refused")},
	} {
		t.Run(http.StatusText(tc.code), func(t *testing.T) {
			run := func(h echo.HTTPErrorHandler) *httptest.ResponseRecorder {
				e := newBenchEcho()
				rec := httptest.NewRecorder()
				c := e.NewContext(httptest.NewRequest(http.MethodGet, "/x", nil), rec)
				h(tc.err, c)
				return rec
			}
			want := run(echoerr.New(echoerr.WithLogger(quietLogger), echoerr.WithRenderer(echoerr.JSON())))
			got := run(floorHandler(tc.code))
			require.Equal(t, tc.code, want.Code)
			assert.Equal(t, want.Code, got.Code)
			assert.Equal(t, want.Header(), got.Header())
			assert.Equal(t, want.Body.String(), got.Body.String())
		})
	}
}

// BenchmarkJSON404Anatomy takes the difference between echoerr and the
// floor apart, for docs/benchmarks-notes.md:
//
//	step=floor       the floor: three headers, three allocations
//	step=headers     the same headers in one allocation, as echoerr sets them
//	step=headers+mark and reading the exactly-once mark back, as echoerr does
//	step=echoerr     the whole handler
//
// Run it pinned for steady figures:
//
//	taskset -c 1 go test -run '^$' -bench JSON404Anatomy -cpu 1 -count 8 -benchtime 200ms
func BenchmarkJSON404Anatomy(b *testing.B) {
	body := floorBodies[http.StatusNotFound]
	req := httptest.NewRequest(http.MethodGet, "/no/such/page", nil)
	oneAllocation := func(c echo.Context) http.Header {
		h := c.Response().Header()
		v := make([]string, 5)
		v[0], v[1], v[2], v[3] = "no-store", "nosniff", "\x00mark", echo.MIMEApplicationJSON
		h["Cache-Control"] = v[0:1:1]
		h["X-Content-Type-Options"] = v[1:2:3]
		h["Content-Type"] = v[3:4:4]
		c.Response().WriteHeader(http.StatusNotFound)
		_, _ = c.Response().Write(body)
		return h
	}
	b.Run("step=floor", func(b *testing.B) { benchHandler(b, newBenchEcho(), floorHandler(http.StatusNotFound), req, nil) })
	b.Run("step=headers", func(b *testing.B) {
		benchHandler(b, newBenchEcho(), func(_ error, c echo.Context) { oneAllocation(c) }, req, nil)
	})
	b.Run("step=headers+mark", func(b *testing.B) {
		benchHandler(b, newBenchEcho(), func(_ error, c echo.Context) {
			v := oneAllocation(c)["X-Content-Type-Options"]
			anatomyMarked = len(v) == 1 && cap(v) == 2
		}, req, nil)
	})
	b.Run("step=echoerr", func(b *testing.B) {
		h := echoerr.New(echoerr.WithLogger(quietLogger), echoerr.WithRenderer(echoerr.JSON()))
		benchHandler(b, newBenchEcho(), h, req, echo.ErrNotFound)
	})
}

// anatomyMarked keeps the mark check of step=headers+mark from being
// optimized away.
var anatomyMarked bool
