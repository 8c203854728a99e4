package echoerr_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// panicText runs New(opts...) and returns what it panicked with, or "".
func panicText(opts ...echoerr.Option) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	echoerr.New(opts...)
	return ""
}

func TestNewRefusesBadScopes(t *testing.T) {
	h := say("h")
	r := as("r")
	for _, tc := range []struct {
		name string
		opts []echoerr.Option
		want []string // substrings of the panic message
	}{
		{"empty prefix", []echoerr.Option{echoerr.Group("", r)}, []string{`Group("")`, "empty prefix"}},
		{"root prefix", []echoerr.Option{echoerr.Group("/", r)}, []string{`Group("/")`, "go directly in New"}},
		{"relative prefix", []echoerr.Option{echoerr.Group("api", r)}, []string{"must start with /"}},
		{"trailing slash", []echoerr.Option{echoerr.Group("/api/", r)}, []string{"must not end with /", "write /api"}},
		{"empty segment", []echoerr.Option{echoerr.Group("/a//b", r)}, []string{"empty segment"}},
		{"dot segment", []echoerr.Option{echoerr.Group("/a/../b", r)}, []string{"dot segment"}},
		{"wildcard", []echoerr.Option{echoerr.Group("/static/*", r)}, []string{"wildcards are not supported"}},
		{"query", []echoerr.Option{echoerr.Group("/a?b=c", r)}, []string{"no query"}},
		{"unnamed parameter", []echoerr.Option{echoerr.Group("/users/:", r)}, []string{"parameter without a name"}},
		{"parameter inside a segment", []echoerr.Option{echoerr.Group("/files/v:version", r)}, []string{"whole segment"}},
		{"nested bad prefix", []echoerr.Option{echoerr.Group("/api", echoerr.Group("v1", r))}, []string{`Group("v1")`, "must start with /"}},
		{"group without options", []echoerr.Option{echoerr.Group("/api")}, []string{`Group("/api")`, "no options"}},
		{"nil option in group", []echoerr.Option{echoerr.Group("/api", echoerr.Option{})}, []string{"nil Option"}},
		{"bad option in group", []echoerr.Option{echoerr.Group("/api", echoerr.OnCode(42, h))}, []string{"OnCode(42)", "outside 200–999"}},
		{"duplicate prefix", []echoerr.Option{echoerr.Group("/api", r), echoerr.Group("/api", r)},
			[]string{"duplicate scope", `Group("/api") (at scope_validation_test.go:`, "/api"}},
		{"duplicate nested prefix", []echoerr.Option{echoerr.Group("/api", echoerr.Group("/v1", r), echoerr.Group("/v1", h2()))},
			[]string{"duplicate scope", "/api/v1"}},
		{"duplicate parameter prefix", []echoerr.Option{echoerr.Group("/u/:id", r), echoerr.Group("/u/:name", r)},
			[]string{"duplicate scope", `Group("/u/:id")`}},
		{"same prefix nested and flat", []echoerr.Option{echoerr.Group("/api", echoerr.Group("/v1", r)), echoerr.Group("/api/v1", r)},
			[]string{`Group("/v1")`, "unreachable scope", `requests for /api/v1 go to Group("/api/v1")`, `beside Group("/api")`}},
		{"nested group shadowed by parent's sibling", []echoerr.Option{echoerr.Group("/api/v1", r), echoerr.Group("/api", echoerr.Group("/v1/users", r))},
			[]string{`Group("/v1/users")`, "unreachable scope"}},
		{"nested group shadowed by a parameter sibling", []echoerr.Option{echoerr.Group("/u/:id", r), echoerr.Group("/u", echoerr.Group("/me", r))},
			[]string{`Group("/me")`, "unreachable scope", `Group("/u/:id")`}},
		{"shadowed inside a host", []echoerr.Option{echoerr.Host("a.example", echoerr.Group("/x", echoerr.Group("/y", r)), echoerr.Group("/x/y", r))},
			[]string{"unreachable scope"}},
		{"empty host", []echoerr.Option{echoerr.Host("", r)}, []string{`Host("")`, "empty host"}},
		{"host with port", []echoerr.Option{echoerr.Host("example.com:8080", r)}, []string{"no scheme, port"}},
		{"host with scheme", []echoerr.Option{echoerr.Host("https://example.com", r)}, []string{"no scheme, port"}},
		{"host with path", []echoerr.Option{echoerr.Host("example.com/admin", r)}, []string{"no scheme, port"}},
		{"inner wildcard", []echoerr.Option{echoerr.Host("a.*.example.com", r)}, []string{`only a leading "*."`}},
		{"wildcard without dot", []echoerr.Option{echoerr.Host("*example.com", r)}, []string{`only a leading "*."`}},
		{"bare wildcard", []echoerr.Option{echoerr.Host("*", r)}, []string{`only a leading "*."`}},
		{"empty label", []echoerr.Option{echoerr.Host("admin..example.com", r)}, []string{"empty label"}},
		{"leading dot", []echoerr.Option{echoerr.Host(".example.com", r)}, []string{"empty label"}},
		{"duplicate host any case", []echoerr.Option{echoerr.Host("Example.com", r), echoerr.Host("example.COM", r)},
			[]string{"duplicate scope", `Host("Example.com")`}},
		{"duplicate wildcard", []echoerr.Option{echoerr.Host("*.example.com", r), echoerr.Host("*.example.com", r)},
			[]string{"duplicate scope"}},
		{"host inside group", []echoerr.Option{echoerr.Group("/admin", echoerr.Host("admin.example.com", r))},
			[]string{`Host("admin.example.com")`, `declared directly in New, not inside Group("/admin")`}},
		{"host inside host", []echoerr.Option{echoerr.Host("a.example", echoerr.Host("b.example", r))},
			[]string{"declared directly in New"}},
		{"host without options", []echoerr.Option{echoerr.Host("admin.example.com")}, []string{"no options"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := panicText(tc.opts...)
			require.NotEmpty(t, msg, "New must panic")
			assert.Contains(t, msg, "scope_validation_test.go:", "the message says where")
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
		})
	}
}

// h2 is a second, distinct option for duplicate tests.
func h2() echoerr.Option { return echoerr.OnAny(say("h2")) }

func TestNewAcceptsScopesThatAreShadowedOnlyForSomeValues(t *testing.T) {
	// /u/me is an exception to /u/:id, as a static route is to a parameter
	// route in Echo: both scopes are reachable.
	opts := []echoerr.Option{
		echoerr.Group("/u/me", as("me")),
		echoerr.Group("/u", as("u"), echoerr.Group("/:id", as("id"))),
		// The same prefix under different hosts, and one shape with
		// different literal neighbours, are no duplicates.
		echoerr.Host("a.example", echoerr.Group("/u/me", as("a-me"))),
		echoerr.Host("*.example", echoerr.Group("/u/me", as("any-me"))),
		echoerr.Host("[::1]", as("v6")),
	}
	require.Empty(t, panicText(opts...))
	e := newApp(opts...)
	assertAnsweredBy(t, e, map[string]string{"/u/7": "id", "/u/me": "me", "/u": "u"})
	assert.Equal(t, "a-me 404", request(e, http.MethodGet, "a.example", "/u/me").Body.String())
	assert.Equal(t, "any-me 404", request(e, http.MethodGet, "b.example", "/u/me").Body.String())
}
