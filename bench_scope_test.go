package echoerr_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// siblingScopes returns n sibling scopes of the given kind, numbered 0..n-1:
// "group" (/s0, /s1, ...), "param" (/:lang/s0, ...) or "host" (s0.example, ...).
// Each sets a renderer and a 404 handler, so none is trivially empty.
func siblingScopes(kind string, n int) []echoerr.Option {
	opts := []echoerr.Option{quiet()}
	for i := range n {
		scopeOpts := []echoerr.Option{echoerr.WithRenderer(echoerr.JSON()), echoerr.OnCode(http.StatusNotFound, func(echo.Context, error) error { return nil })}
		switch kind {
		case "group":
			opts = append(opts, echoerr.Group(fmt.Sprintf("/s%d", i), scopeOpts...))
		case "param":
			opts = append(opts, echoerr.Group(fmt.Sprintf("/:lang/s%d", i), scopeOpts...))
		case "host":
			opts = append(opts, echoerr.Host(fmt.Sprintf("s%d.example", i), scopeOpts...))
		}
	}
	return opts
}

// scopeDispatch returns a function that handles one 404 for the given
// request target and host, reusing one echo.Context as Echo does.
func scopeDispatch(opts []echoerr.Option, host, target string) func() {
	e := echo.New()
	handler := echoerr.New(opts...)
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = host
	w := &discardWriter{h: http.Header{}}
	c := e.NewContext(req, w)
	return func() {
		clear(w.h)
		c.Reset(req, w)
		handler(echo.ErrNotFound, c)
	}
}

// BenchmarkScopeDispatch measures handling one error with 1 and with 50
// sibling scopes, for a request inside the last-declared scope and for one
// outside all of them. The cost must not grow with the number of siblings
// that do not match.
func BenchmarkScopeDispatch(b *testing.B) {
	for _, kind := range []string{"group", "param", "host"} {
		for _, n := range []int{1, 50} {
			last := n - 1
			in, host := fmt.Sprintf("/s%d/x", last), "www.example"
			switch kind {
			case "param":
				in = fmt.Sprintf("/en/s%d/x", last)
			case "host":
				in, host = "/x", fmt.Sprintf("s%d.example", last)
			}
			for _, where := range []string{"inside", "outside"} {
				target, h := in, host
				if where == "outside" {
					target, h = "/other/x", "www.example"
				}
				b.Run(fmt.Sprintf("%s/scopes=%d/%s", kind, n, where), func(b *testing.B) {
					req := httptest.NewRequest(http.MethodGet, target, nil)
					req.Host = h
					benchHandler(b, newBenchEcho(), echoerr.New(siblingScopes(kind, n)...), req, echo.ErrNotFound)
				})
			}
		}
	}
}

// TestScopeDispatchAllocationsIndependentOfSiblings is the deterministic
// half of BenchmarkScopeDispatch: handling an error allocates exactly as
// much with 50 sibling scopes as with one.
func TestScopeDispatchAllocationsIndependentOfSiblings(t *testing.T) {
	for _, kind := range []string{"group", "param", "host"} {
		for _, target := range []string{"/s0/x", "/en/s0/x", "/other/x"} {
			host := "www.example"
			if kind == "host" && target == "/s0/x" {
				host = "s0.example"
			}
			one := testing.AllocsPerRun(50, scopeDispatch(siblingScopes(kind, 1), host, target))
			fifty := testing.AllocsPerRun(50, scopeDispatch(siblingScopes(kind, 50), host, target))
			if one != fifty {
				t.Errorf("%s %s%s: %v allocations with 1 scope, %v with 50", kind, host, target, one, fifty)
			}
		}
	}
}
