package echoerr_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// BenchmarkRender404 renders the routing 404 with each renderer, the JSON
// one first as the baseline of the same run (benchstat -col /r):
//
//	r=json       JSON()
//	r=html       HTML(), the built-in 404 page
//	r=problem    Problem()
//	r=text       Text()
//	r=echojson   EchoJSON()
//	r=negotiate  New's default renderer choosing HTML for Chrome's Accept
//	r=echo       Echo's own DefaultHTTPErrorHandler, for reference
//
// The target: r=html costs at most 3x r=json.
func BenchmarkRender404(b *testing.B) {
	cases := []struct {
		name   string
		accept string
		opts   []echoerr.Option
	}{
		{"r=json", "", []echoerr.Option{echoerr.WithRenderer(echoerr.JSON())}},
		{"r=html", "", []echoerr.Option{echoerr.WithRenderer(echoerr.HTML())}},
		{"r=problem", "", []echoerr.Option{echoerr.WithRenderer(echoerr.Problem())}},
		{"r=text", "", []echoerr.Option{echoerr.WithRenderer(echoerr.Text())}},
		{"r=echojson", "", []echoerr.Option{echoerr.WithRenderer(echoerr.EchoJSON())}},
		{"r=negotiate", acceptChrome, nil},
	}
	b.Run("r=echo", func(b *testing.B) {
		e := newBenchEcho()
		req := httptest.NewRequest(http.MethodGet, "/no/such/page", nil)
		req.Header.Set("Accept", acceptChrome)
		benchHandler(b, e, e.DefaultHTTPErrorHandler, req, echo.ErrNotFound)
	})
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/no/such/page", nil)
			if bc.accept != "" {
				req.Header.Set("Accept", bc.accept)
			}
			h := echoerr.New(append([]echoerr.Option{echoerr.WithLogger(quietLogger)}, bc.opts...)...)
			benchHandler(b, newBenchEcho(), h, req, echo.ErrNotFound)
		})
	}
}
