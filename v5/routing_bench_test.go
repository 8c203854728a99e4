package echoerr

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"
)

// BenchmarkRestoreCatchAll404: the slow path, a scanner 404 inside a group with Use.
func BenchmarkRestore(b *testing.B) {
	for _, bc := range []struct{ name, method, target string }{
		{"no-route-404", "GET", "/nope"},
		{"catch-all-404", "GET", "/api/nope"},
		{"catch-all-405", "POST", "/api/users"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := echo.New()
			g := e.Group("/api")
			g.Use(func(next echo.HandlerFunc) echo.HandlerFunc { return next })
			routeSets["api"](registrar{func(m, p string, h echo.HandlerFunc) { g.Add(m, p, h) }, func(p, d string) { g.Static(p, d) }}, "testdata/static")
			c := e.NewContext(httptest.NewRequest(bc.method, bc.target, nil), httptest.NewRecorder())
			err := e.Router().Route(c)(c)
			b.ReportAllocs()
			for b.Loop() {
				c.Response().Header().Del(echo.HeaderAllow)
				_ = restoreMethodNotAllowed(c, err)
			}
		})
	}
	_ = http.MethodGet
}
