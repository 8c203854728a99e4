package echoerr_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"

	"github.com/echoerr/echoerr"
)

// apiScope is the echoerr side of the routing tests: /api has its own
// renderer and a handler for each routing error that says it ran.
func apiScope() echoerr.Option {
	return echoerr.Group("/api", as("api"),
		echoerr.OnCode(http.StatusNotFound, observe("api-404")),
		echoerr.OnCode(http.StatusMethodNotAllowed, observe("api-405")),
		echoerr.OnCode(http.StatusUnauthorized, observe("api-401")),
	)
}

// observe returns a handler that marks the response with X-Handled: name
// and leaves the rendering to the renderer in effect.
func observe(name string) echoerr.HandlerFunc {
	return func(c echo.Context, _ error) error {
		c.Response().Header().Add("X-Handled", name)
		return nil
	}
}

// mark is Echo middleware that sets X-Middleware: name.
func mark(name string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("X-Middleware", name)
			return next(c)
		}
	}
}

// requireAuth is Echo middleware that refuses requests without a token.
func requireAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Header.Get("Authorization") == "" {
			return echoerr.Unauthorized("", `Bearer realm="api"`)
		}
		return next(c)
	}
}

// TestRoutingErrorsInsideGroupReachItsScope covers the case Flask's
// blueprints never handle (flask#503, #1498, #3572): an unknown URL or a
// wrong method inside a group reaches the group's handlers and renderer,
// whatever Echo's routing made of it.
func TestRoutingErrorsInsideGroupReachItsScope(t *testing.T) {
	setups := []struct {
		name  string
		build func(e *echo.Echo)
	}{
		{"no Echo group", func(e *echo.Echo) {
			e.GET("/api/users", okHandler)
		}},
		{"Echo group without middleware", func(e *echo.Echo) {
			e.Group("/api").GET("/users", okHandler)
		}},
		{"Echo group with route middleware", func(e *echo.Echo) {
			e.Group("/api").GET("/users", okHandler, mark("route"))
		}},
		{"Echo group with global middleware", func(e *echo.Echo) {
			e.Use(mark("global"))
			e.Group("/api").GET("/users", okHandler)
		}},
		{"Echo group with Use", func(e *echo.Echo) {
			g := e.Group("/api")
			g.Use(mark("group")) // registers RouteNotFound routes for /api and /api/*
			g.GET("/users", okHandler)
		}},
		{"nested Echo groups with Use", func(e *echo.Echo) {
			g := e.Group("/api", mark("group"))
			g.Group("/v1", mark("v1")).GET("/x", okHandler)
			g.GET("/users", okHandler)
		}},
	}
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			e := newApp(
				echoerr.OnAny(observe("app")),
				apiScope(),
			)
			s.build(e)
			for _, path := range []string{"/api/nope", "/api", "/api/", "/api/users/7", "/api/v1/nope"} {
				rec := request(e, http.MethodGet, "", path)
				assert.Equal(t, "api 404", rec.Body.String(), path)
				assert.Equal(t, "api-404", rec.Header().Get("X-Handled"), path)
			}
			rec := request(e, http.MethodGet, "", "/apinope")
			assert.Equal(t, "app 404", rec.Body.String(), "outside the prefix")

			rec = request(e, http.MethodPost, "", "/api/users")
			if s.name == "Echo group with Use" || s.name == "nested Echo groups with Use" {
				// Echo v4 lets the group's RouteNotFound route win over its
				// 405 (echo#1981); echoerr restores the 405 and its Allow.
				assert.Equal(t, "group", rec.Header().Get("X-Middleware"), "the group's middleware ran")
			}
			assert.Equal(t, "api 405", rec.Body.String())
			assert.Equal(t, "api-405", rec.Header().Get("X-Handled"))
			assert.Equal(t, "OPTIONS, GET", rec.Header().Get("Allow"), "Allow set by Echo's router is kept")

			rec = request(e, http.MethodHead, "", "/api/users")
			assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
			assert.Empty(t, rec.Body.String(), "HEAD gets no body")
			assert.Equal(t, "OPTIONS, GET", rec.Header().Get("Allow"))
			assert.Equal(t, "api-405", rec.Header().Get("X-Handled"))
		})
	}
}

// TestGroupMiddlewareErrorReachesGroupScope: the group's auth middleware
// runs first, for known and unknown URLs alike (Echo routes unknown URLs
// under a group that calls Use to its RouteNotFound routes), and its error
// reaches the group's handlers and renderer with its challenge header.
func TestGroupMiddlewareErrorReachesGroupScope(t *testing.T) {
	e := newApp(echoerr.OnAny(observe("app")), apiScope())
	g := e.Group("/api")
	g.Use(requireAuth)
	g.GET("/users", okHandler)
	for _, path := range []string{"/api/users", "/api/nope", "/api"} {
		rec := request(e, http.MethodGet, "", path)
		assert.Equal(t, "api 401", rec.Body.String(), path)
		assert.Equal(t, "api-401", rec.Header().Get("X-Handled"), path)
		assert.Equal(t, `Bearer realm="api"`, rec.Header().Get("WWW-Authenticate"), path)
	}
	req := func(method, path string) *http.Request {
		r, _ := http.NewRequest(method, path, nil)
		r.Header.Set("Authorization", "Bearer t")
		return r
	}
	for path, want := range map[string]string{"/api/nope": "api 404", "/api/users/7": "api 404"} {
		rec := serveReq(e, req(http.MethodGet, path))
		assert.Equal(t, want, rec.Body.String(), "authorized: the router's 404 reaches the group")
	}
}

// TestGlobalMiddlewareErrorIsScopedByPath: an error from global middleware,
// which runs before routing is known to the application, is still handled
// by the scope of the request's path.
func TestGlobalMiddlewareErrorIsScopedByPath(t *testing.T) {
	e := newApp(apiScope())
	e.Use(requireAuth)
	e.GET("/api/users", okHandler)
	assert.Equal(t, "api 401", request(e, http.MethodGet, "", "/api/users").Body.String())
	assert.Equal(t, "api 401", request(e, http.MethodPost, "", "/api/users").Body.String())
	assert.Equal(t, "app 401", request(e, http.MethodGet, "", "/users").Body.String())
}

// TestGroupHandlerMayAdjustRoutingErrorsKeepingAllow: a group handler that
// rewrites the 405's description keeps the router's Allow header.
func TestGroupHandlerMayAdjustRoutingErrorsKeepingAllow(t *testing.T) {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(quiet(),
		echoerr.Group("/api", echoerr.OnCode(http.StatusMethodNotAllowed, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "Use " + c.Response().Header().Get("Allow") + "."
			return fe
		})))
	e.PUT("/api/items/:id", okHandler)
	e.DELETE("/api/items/:id", okHandler)
	rec := request(e, http.MethodGet, "", "/api/items/1")
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "OPTIONS, DELETE, PUT", rec.Header().Get("Allow"))
	m := decodeJSON(t, rec.Body)
	assert.Equal(t, "Use OPTIONS, DELETE, PUT.", m["description"])
}

// serveReq serves r through e.
func serveReq(e *echo.Echo, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, r)
	return rec
}
