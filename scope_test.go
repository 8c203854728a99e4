package echoerr_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// named is a Renderer test double that answers "<name> <status>" in plain
// text, so that a test sees which scope's renderer was in effect.
type named string

func (n named) Render(c echo.Context, e *echoerr.Error) error {
	return echoerr.Send(c, e.Code, echo.MIMETextPlainCharsetUTF8, fmt.Appendf(nil, "%s %d", n, e.Code))
}

// as is WithRenderer(named(name)).
func as(name string) echoerr.Option { return echoerr.WithRenderer(named(name)) }

// quiet is a logger option that discards.
func quiet() echoerr.Option { return echoerr.WithLogger(slog.New(slog.DiscardHandler)) }

// say returns a handler that answers "<name> <status>" itself.
func say(name string) echoerr.HandlerFunc {
	return func(c echo.Context, err error) error {
		code := echoerr.StatusOf(err)
		return c.String(code, fmt.Sprintf("%s %d", name, code))
	}
}

// trace returns a handler that appends name to *seen and passes.
func trace(seen *[]string, name string) echoerr.HandlerFunc {
	return func(echo.Context, error) error {
		*seen = append(*seen, name)
		return echoerr.Pass
	}
}

// request serves method target with the given Host header ("" for the
// default example.com) through e.
func request(e *echo.Echo, method, host, target string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	if host != "" {
		req.Host = host
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// newApp returns an Echo app without routes whose error handler is
// echoerr.New(opts...) with the application renderer named "app" and a
// logger that discards.
func newApp(opts ...echoerr.Option) *echo.Echo {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(append([]echoerr.Option{as("app"), quiet()}, opts...)...)
	return e
}

// assertAnsweredBy checks, path by path, which scope's renderer answers
// the 404 for an unknown URL.
func assertAnsweredBy(t *testing.T, e *echo.Echo, want map[string]string) {
	t.Helper()
	for path, name := range want {
		t.Run(path, func(t *testing.T) {
			assert.Equal(t, name+" 404", request(e, http.MethodGet, "", path).Body.String())
		})
	}
}

func TestGroupPrefixIsMatchedSegmentBySegment(t *testing.T) {
	e := newApp(
		echoerr.Group("/api", as("api"),
			echoerr.Group("/v1", as("v1"))),
		echoerr.Group("/files", as("files")),
		echoerr.Group("/a/b/c", as("abc")),
	)
	assertAnsweredBy(t, e, map[string]string{
		"/api":          "api",
		"/api/":         "api",
		"/api/x":        "api",
		"/api/x/y/":     "api",
		"/apix":         "app",
		"/ap":           "app",
		"/":             "app",
		"/API/x":        "app", // case-sensitive, like Echo's router
		"/x/api":        "app",
		"/api/v1":       "v1",
		"/api/v1/":      "v1",
		"/api/v1/users": "v1",
		"/api/v1x":      "api",
		"/api/x/v1":     "api",
		"/a/b/c/d":      "abc",
		"/a/b":          "app",
		"/a/b/cd":       "app",
		"//api/x":       "app", // Echo does not clean paths: no /api route serves it either
		"/api%2Fx":      "app", // RawPath /api%2Fx: one segment, as Echo routes it
		"/files/a%2Fb":  "files",
		"/%61pi/x":      "app", // RawPath /%61pi/x, which Echo does not route to /api either
		"/api/%7Ex":     "api",
	})
}

// TestGroupScopeAgreesWithEchoRouter checks, path by path, that a scope
// applies exactly when Echo routes the request into the Echo group of the
// same prefix: the group's middleware runs (it does for its RouteNotFound
// routes) if and only if the group's renderer answers.
func TestGroupScopeAgreesWithEchoRouter(t *testing.T) {
	prefixes := []string{"/api", "/api/v1", "/users/:id", "/users/me", "/:lang/docs", "/:lang/blog", "/files", "/café"}
	var opts []echoerr.Option
	e := echo.New()
	for _, p := range prefixes {
		opts = append(opts, echoerr.Group(p, as(p)))
		g := e.Group(p)
		g.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.Response().Header().Set("X-Group", p)
				return next(c)
			}
		})
	}
	e.HTTPErrorHandler = echoerr.New(append([]echoerr.Option{as("app"), quiet()}, opts...)...)
	inGroups := 0
	for _, path := range []string{
		"/api", "/api/", "/api/x", "/apix", "/api/v1", "/api/v1/x", "/api/v1x", "/api%2Fv1", "/%61pi",
		"/users/7", "/users/7/x", "/users/me", "/users/me/x", "/users/mex", "/users", "/users/",
		"/en/docs", "/en/docs/x", "/en/doc", "/api/docs", "/en/blog/x", "/users/blog", "/files/a%2Fb", "/files%2Fa",
		"/caf%C3%A9/x", "/café/x", "/caf%C3%A9/a%2Fb", "/CAF%C3%A9/x",
	} {
		t.Run(path, func(t *testing.T) {
			rec := request(e, http.MethodGet, "", path)
			require.Equal(t, http.StatusNotFound, rec.Code)
			group := rec.Header().Get("X-Group")
			if group == "" {
				group = "app"
			}
			assert.Equal(t, group+" 404", rec.Body.String(), "Echo routed %s into group %s", path, group)
			t.Log(path, "->", group)
			if group != "app" {
				inGroups++
			}
		})
	}
	assert.GreaterOrEqual(t, inGroups, 15, "most paths are inside a group, so the comparison means something")
}

// TestGroupParameterSegmentMatchesOneSegment: a ":name" segment matches one
// segment, as in Echo's router: an empty one too when more path follows.
func TestGroupParameterSegmentMatchesOneSegment(t *testing.T) {
	e := newApp(
		echoerr.Group("/users/:id", as("user"),
			echoerr.Group("/posts", as("posts"))),
		echoerr.Group("/users/me", as("me")),
		echoerr.Group("/:lang", as("lang")),
		echoerr.Group("/:lang/docs", as("docs")),
		echoerr.Group("/:lang/blog", as("blog")),
		echoerr.Group("/:a/:b/feed", as("feed")),
	)
	assertAnsweredBy(t, e, map[string]string{
		"/users/7":         "user",
		"/users/7/":        "user",
		"/users/7/x":       "user",
		"/users/7/posts":   "posts",
		"/users/7/posts/1": "posts",
		"/users/7/postsx":  "user",
		"/users/me":        "me", // a literal segment beats a parameter, as in Echo's router
		"/users/me/posts":  "me", // ... even against a longer prefix with a parameter there
		"/users":           "lang",
		"/users//x":        "user", // an empty parameter value, as Echo's router routes it
		"/users/":          "lang", // but not an empty last segment: Echo routes no parameter there
		"/en":              "lang",
		"/en/x":            "lang",
		"/en/docs/x":       "docs",
		"/en/blog":         "blog",
		"/en/x/feed":       "feed",
		"/en/x/feed/rss":   "feed",
		"/en/docs/feed":    "docs", // a literal second segment beats a parameter there
		"/users/7/feed":    "user", // a literal first segment beats everything else
		"/":                "app",
	})
}

func TestGroupSiblingsLongestPrefixWinsAndDoesNotNest(t *testing.T) {
	var seen []string
	e := newApp(
		echoerr.OnAny(trace(&seen, "app")),
		echoerr.Group("/api", as("api"), echoerr.OnAny(trace(&seen, "api"))),
		echoerr.Group("/api/admin", as("admin"), echoerr.OnAny(trace(&seen, "admin"))),
	)
	assert.Equal(t, "admin 404", request(e, http.MethodGet, "", "/api/admin/x").Body.String())
	// Siblings are alternatives, as Echo's e.Group("/api") and
	// e.Group("/api/admin") are: /api's handlers are not tried.
	assert.Equal(t, []string{"admin", "app"}, seen)
	seen = nil
	assert.Equal(t, "api 404", request(e, http.MethodGet, "", "/api/x").Body.String())
	assert.Equal(t, []string{"api", "app"}, seen)
}

func TestGroupPathIsTheRoutedPathAfterPreMiddleware(t *testing.T) {
	t.Run("RemoveTrailingSlash", func(t *testing.T) {
		e := newApp(echoerr.Group("/api", as("api")))
		e.Pre(middleware.RemoveTrailingSlash())
		var path string
		e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { path = c.Request().URL.Path; return next(c) }
		})
		assert.Equal(t, "api 404", request(e, http.MethodGet, "", "/api/").Body.String())
		assert.Equal(t, "/api", path, "the middleware removed the slash before the error was handled")
	})
	t.Run("Rewrite", func(t *testing.T) {
		e := newApp(echoerr.Group("/api", as("api")), echoerr.Group("/old", as("old")))
		e.Pre(middleware.Rewrite(map[string]string{"/old/*": "/api/$1"}))
		assert.Equal(t, "api 404", request(e, http.MethodGet, "", "/old/users").Body.String())
	})
}

func TestHostScopeMatching(t *testing.T) {
	e := newApp(
		echoerr.Host("admin.example.com", as("admin")),
		echoerr.Host("*.example.com", as("sub")),
		echoerr.Host("*.eu.example.com", as("eu")),
		echoerr.Host("API.Example.ORG", as("api")), // declared in any case
		echoerr.Host("[::1]", as("v6")),
		echoerr.Host("127.0.0.1", as("v4")),
		echoerr.Host("xn--bcher-kva.example", as("idn")),
		echoerr.Group("/x", as("group")),
	)
	for _, tc := range []struct{ host, want, why string }{
		{"admin.example.com", "admin", "exact"},
		{"admin.example.com:8443", "admin", "port ignored"},
		{"ADMIN.Example.Com", "admin", "case-insensitive"},
		{"admin.example.com.", "admin", "trailing dot of a fully qualified name"},
		{"api.example.org", "api", "pattern declared in upper case"},
		{"shop.example.com", "sub", "wildcard"},
		{"a.b.example.com", "sub", "wildcard covers deeper subdomains"},
		{"x.eu.example.com", "eu", "longer wildcard beats shorter"},
		{"eu.example.com", "sub", "*.eu.example.com never matches eu.example.com itself"},
		{"example.com", "app", "*.example.com never matches the bare domain"},
		{".example.com", "app", "an empty label is no subdomain"},
		{"example.com.evil.org", "app", "suffix, not substring"},
		{"badexample.com", "app", "label boundary"},
		{"[::1]:8080", "v6", "IPv6 literal with port"},
		{"127.0.0.1:1323", "v4", "IPv4 with port"},
		{"XN--BCHER-KVA.example:443", "idn", "an internationalized name in its ASCII form"},
		{"other.org", "app", "no match"},
	} {
		t.Run(tc.host, func(t *testing.T) {
			assert.Equal(t, tc.want+" 404", request(e, http.MethodGet, tc.host, "/nope").Body.String(), tc.why)
		})
	}
	noHost := httptest.NewRequest(http.MethodGet, "/x/y", nil)
	noHost.Host = "" // an HTTP/1.0 request without a Host header
	assert.Equal(t, "group 404", serveReq(e, noHost).Body.String())
}

func TestHostScopeBeatsGroupSibling(t *testing.T) {
	var seen []string
	e := newApp(
		echoerr.OnAny(trace(&seen, "app")),
		echoerr.Group("/api", as("api"), echoerr.OnAny(trace(&seen, "api"))),
		echoerr.Host("admin.example.com", as("admin"), echoerr.OnAny(trace(&seen, "admin")),
			echoerr.Group("/api", as("admin-api"), echoerr.OnAny(trace(&seen, "admin-api")))),
		echoerr.Host("docs.example.com", as("docs"), echoerr.OnAny(trace(&seen, "docs"))),
	)
	// The host matches: the application's Group("/api") is not used, the
	// host's own Group("/api") is.
	assert.Equal(t, "admin-api 404", request(e, http.MethodGet, "admin.example.com", "/api/x").Body.String())
	assert.Equal(t, []string{"admin-api", "admin", "app"}, seen)
	seen = nil
	assert.Equal(t, "docs 404", request(e, http.MethodGet, "docs.example.com", "/api/x").Body.String())
	assert.Equal(t, []string{"docs", "app"}, seen)
	seen = nil
	assert.Equal(t, "api 404", request(e, http.MethodGet, "www.example.com", "/api/x").Body.String())
	assert.Equal(t, []string{"api", "app"}, seen)
}
