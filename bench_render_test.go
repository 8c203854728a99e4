package echoerr_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// benchRender measures a routing 404 answered by echoerr with opts, through
// a real *echo.Echo, with the given Accept header.
func benchRender(b *testing.B, accept string, opts ...echoerr.Option) {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(append([]echoerr.Option{
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
	}, opts...)...)
	req := httptest.NewRequest(http.MethodGet, "/nope", nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		e.ServeHTTP(w, req)
	}
	if w.code != http.StatusNotFound {
		b.Fatalf("status %d, want 404", w.code)
	}
}

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

func BenchmarkRenderJSON404(b *testing.B) {
	benchRender(b, "", echoerr.WithRenderer(echoerr.JSON()))
}

func BenchmarkRenderHTML404(b *testing.B) {
	benchRender(b, "", echoerr.WithRenderer(echoerr.HTML()))
}

func BenchmarkRenderProblem404(b *testing.B) {
	benchRender(b, "", echoerr.WithRenderer(echoerr.Problem()))
}

func BenchmarkRenderText404(b *testing.B) {
	benchRender(b, "", echoerr.WithRenderer(echoerr.Text()))
}

func BenchmarkRenderEchoJSON404(b *testing.B) {
	benchRender(b, "", echoerr.WithRenderer(echoerr.EchoJSON()))
}

// BenchmarkRenderNegotiateChrome404 is New's default renderer choosing the
// HTML page for Chrome's Accept header.
func BenchmarkRenderNegotiateChrome404(b *testing.B) {
	benchRender(b, acceptChrome)
}
