package engine

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// New sorts a scope's children once, in the order resolve tries them: Host
// scopes, longest first (an exact host is longer than any wildcard suffix
// it matches), then Groups, a literal segment before a parameter at the
// first position they differ, else the longer prefix first.
func TestScopesAreTriedInPrecedenceOrder(t *testing.T) {
	h := New(nilFace{},
		Group("/:lang", WithDebug(true)),
		Group("/a", WithDebug(true)),
		Host("*.example.com", WithDebug(true)),
		Group("/a/b", WithDebug(true)),
		Group("/:lang/b", WithDebug(true)),
		Host("x.example.com", WithDebug(true)),
		Host("*.x.example.com", WithDebug(true)),
	)
	var names []string
	for _, c := range h.root.kids {
		names = append(names, c.name)
	}
	assert.Equal(t, []string{
		`Host("*.x.example.com")`, `Host("x.example.com")`, `Host("*.example.com")`,
		`Group("/a/b")`, `Group("/a")`, `Group("/:lang/b")`, `Group("/:lang")`,
	}, names)

	for _, c := range []struct{ host, path, want string }{
		{"x.example.com", "/a", `Host("x.example.com")`},
		{"y.x.example.com", "/a", `Host("*.x.example.com")`},
		{"X.Example.COM.:80", "/a", `Host("x.example.com")`},
		{"example.com", "/a/b/c", `Group("/a/b")`},
		{"example.com", "/a/c", `Group("/a")`},
		{"example.com", "/en/b", `Group("/:lang/b")`},
		{"example.com", "/en/c", `Group("/:lang")`},
		{"example.com", "/", "New"},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = c.host
		assert.Equal(t, c.want, h.root.resolve(req, c.path).name, "%s %s", c.host, c.path)
	}
}
