package engine

import (
	"fmt"
	"net/http/httptest"
	"testing"
)

// BenchmarkScopeResolve measures resolve alone, which is where the number
// of scopes could show, with 1, 50 and 500 sibling scopes of each kind.
func BenchmarkScopeResolve(b *testing.B) {
	prefixes := map[string]func(i int) string{
		"group": func(i int) string { return fmt.Sprintf("/s%d", i) },
		"param": func(i int) string { return fmt.Sprintf("/:lang/s%d", i) },
	}
	for _, kind := range []string{"group", "param", "host"} {
		for _, n := range []int{1, 50, 500} {
			var opts []Option
			for i := range n {
				if kind == "host" {
					opts = append(opts, Host(fmt.Sprintf("s%d.example", i), WithDebug(true)))
				} else {
					opts = append(opts, Group(prefixes[kind](i), WithDebug(true)))
				}
			}
			h := New(nilFace{}, opts...)
			req := httptest.NewRequest("GET", "/other/x", nil)
			switch kind {
			case "group":
				req = httptest.NewRequest("GET", fmt.Sprintf("/s%d/x", n-1), nil)
			case "param":
				req = httptest.NewRequest("GET", fmt.Sprintf("/en/s%d/x", n-1), nil)
			case "host":
				req.Host = fmt.Sprintf("s%d.example", n-1)
			}
			b.Run(fmt.Sprintf("%s/scopes=%d", kind, n), func(b *testing.B) {
				if got := h.root.resolve(req, req.URL.Path); got == h.root {
					b.Fatal("the request matches no scope")
				}
				for b.Loop() {
					h.root.resolve(req, req.URL.Path)
				}
			})
		}
	}
}
