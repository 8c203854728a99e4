package facetest

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scopes: Group and Host scopes, matched on the request's path and host.
func (s *suite) scopes(t *testing.T) {
	t.Run("a Group's prefix is segment-aware", func(t *testing.T) {
		c := &Calls{}
		e := s.serve(t, App{Options: []Option{
			s.f.Group("/api", s.f.OnAny(func(ctx Ctx, _ error) error { c.Add("api " + ctx.Request().URL.Path); return nil })),
			s.f.OnAny(func(ctx Ctx, _ error) error { c.Add("app " + ctx.Request().URL.Path); return nil }),
		}})
		for _, p := range []string{"/api", "/api/", "/api/x", "/apix", "/ap", "/x/api"} {
			e.get(p)
		}
		assert.Equal(t, []string{"api /api", "api /api/", "api /api/x", "app /apix", "app /ap", "app /x/api"}, c.Ran())
	})
	t.Run("a Host scope, with port, case and wildcard", func(t *testing.T) {
		c := &Calls{}
		e := s.serve(t, App{Options: []Option{
			s.f.Host("api.example.com", s.f.OnAny(c.Take("exact"))),
			s.f.Host("*.example.com", s.f.OnAny(c.Take("wildcard"))),
			s.f.OnAny(c.Take("app")),
		}})
		for _, h := range []string{"api.example.com", "API.Example.com:8080", "a.b.example.com", "example.com", "other.test"} {
			req := newRequest(http.MethodGet, "/missing")
			req.Host = h
			e.serveReq(req)
		}
		assert.Equal(t, []string{"exact", "exact", "wildcard", "app", "app"}, c.Ran())
	})
	t.Run("Groups inside a Host apply to that host only", func(t *testing.T) {
		c := &Calls{}
		e := s.serve(t, App{Options: []Option{
			s.f.Host("api.example.com", s.f.Group("/v1", s.f.OnAny(c.Take("host v1"))), s.f.OnAny(c.Take("host"))),
			s.f.Group("/v1", s.f.OnAny(c.Take("app v1"))),
		}})
		for _, target := range []string{"http://api.example.com/v1/x", "http://api.example.com/x", "http://other.test/v1/x"} {
			e.get(target)
		}
		assert.Equal(t, []string{"host v1", "host", "app v1"}, c.Ran())
	})
	t.Run("nested Groups: relative prefixes, innermost ladder first, then the parents", func(t *testing.T) {
		c := &Calls{}
		e := s.serve(t, App{Options: []Option{
			s.f.Group("/api",
				s.f.Group("/v1", s.f.OnAny(c.Result("v1", s.f.Pass()))),
				s.f.OnAny(c.Result("api", s.f.Pass())),
			),
			s.f.OnCode(http.StatusNotFound, c.Take("app")),
		}})
		e.get("/api/v1/x")
		assert.Equal(t, []string{"v1", "api", "app"}, c.Ran())
		c2 := &Calls{}
		e = s.serve(t, App{Options: []Option{
			s.f.Group("/api", s.f.Group("/v1", s.f.OnAny(c2.Take("v1")))),
			s.f.Group("/v1", s.f.OnAny(c2.Take("top v1"))),
		}})
		e.get("/api/v1/x")
		e.get("/v1/x")
		e.get("/api/v2/x")
		assert.Equal(t, []string{"v1", "top v1"}, c2.Ran())
	})
	t.Run("a Group's catch-all beats the application's OnCode", func(t *testing.T) {
		c := &Calls{}
		s.serve(t, App{Options: []Option{
			s.f.OnCode(http.StatusNotFound, c.Take("app 404 page")),
			s.f.Group("/api", s.f.OnAny(c.Take("api catch-all"))),
		}}).get("/api/nope")
		assert.Equal(t, []string{"api catch-all"}, c.Ran())
	})
	t.Run("the nearest scope's renderer, logger, reporter and debug", func(t *testing.T) {
		apiLog, apiRep := &LogRecorder{}, &ReportRecorder{}
		e := s.serve(t, App{
			Options: []Option{
				s.f.WithRenderer(s.f.JSON()),
				s.f.Group("/api",
					s.f.WithRenderer(s.f.Problem()), s.f.WithLogger(apiLog.Logger()), s.f.WithReporter(apiRep.Report), s.f.WithDebug(true),
					s.f.Group("/v1", s.f.OnAny(func(Ctx, error) error { return nil })),
				),
			},
			Routes: []Endpoint{
				GET("/api/v1/fail", Fail(errors.New("api internal detail"))),
				GET("/fail", Fail(errors.New("app internal detail"))),
			},
		})
		rec := e.get("/api/v1/fail")
		require.Equal(t, 500, rec.Code)
		assert.Equal(t, "application/problem+json", mediaType(rec.Header()), "the parent Group's renderer")
		assert.Contains(t, rec.Body.String(), "api internal detail", "the parent Group's debug setting")
		assert.Len(t, apiLog.Records(), 1, "the Group's logger")
		assert.Len(t, apiRep.Reports(), 1, "the Group's reporter")
		e.records(t, 0)
		e.reports(t, 0)

		rec = e.get("/fail")
		assert.Equal(t, "application/json", mediaType(rec.Header()))
		assert.NotContains(t, rec.Body.String(), "app internal detail")
		e.records(t, 1)
		e.reports(t, 1)
		assert.Len(t, apiLog.Records(), 1)
	})
	t.Run("routing 404 and 405 inside a Group reach its scope", func(t *testing.T) {
		allow := map[bool]string{}
		for _, use := range []bool{false, true} {
			name := "Echo group without middleware"
			var mws []Middleware
			if use {
				name, mws = "Echo group with middleware", []Middleware{passThrough()}
			}
			t.Run(name, func(t *testing.T) {
				var got []int
				e := s.serve(t, App{
					Options: []Option{s.f.Group("/api", s.f.OnAny(func(_ Ctx, err error) error { got = append(got, s.f.StatusOf(err)); return nil }))},
					Groups: []RouteGroup{{Prefix: "/api", Use: mws, Routes: []Endpoint{
						GET("/users", func(c Ctx) error { return c.String(200, "ok") }),
						Handle(http.MethodPut, "/users", func(c Ctx) error { return c.String(200, "ok") }),
					}}},
				})
				rec := e.get("/api/nope")
				assert.Equal(t, http.StatusNotFound, rec.Code)
				assert.Empty(t, rec.Header().Get("Allow"))
				rec = e.do(http.MethodPost, "/api/users")
				assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, "a wrong method is a 405 (echo#1981 restored)")
				assert.Contains(t, rec.Header().Get("Allow"), http.MethodGet)
				assert.Contains(t, rec.Header().Get("Allow"), http.MethodPut)
				allow[use] = rec.Header().Get("Allow")
				assert.Equal(t, []int{404, 405}, got)
			})
		}
		assert.Equal(t, allow[false], allow[true], "the restored Allow is the router's own")
	})
	t.Run("never a 405 for a wildcard route's own 404", func(t *testing.T) {
		ok := func(c Ctx) error { return c.String(200, "ok") }
		for _, tc := range []struct {
			name string
			app  App
			path string
		}{
			{"/files/* returning Echo's NotFound beside DELETE /files/:name", App{Routes: []Endpoint{
				GET("/files/*", Fail(s.f.NotFound())), Handle(http.MethodDelete, "/files/:name", ok),
			}}, "/files/a.txt"},
			{"the same inside a Group with middleware", App{Groups: []RouteGroup{{Prefix: "/g", Use: []Middleware{passThrough()}, Routes: []Endpoint{
				GET("/files/*", Fail(s.f.NotFound())), Handle(http.MethodDelete, "/files/:name", ok),
			}}}}, "/g/files/a.txt"},
			{"Static beside DELETE /static/:name", App{
				Static: []StaticFiles{{Prefix: "/static", FS: fstest.MapFS{"app.css": {Data: []byte("body{}")}}}},
				Routes: []Endpoint{Handle(http.MethodDelete, "/static/:name", ok)},
			}, "/static/missing.css"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := s.serve(t, tc.app)
				rec := e.get(tc.path)
				assert.Equal(t, http.StatusNotFound, rec.Code)
				assert.Empty(t, rec.Header().Get("Allow"), "no invented Allow list")
			})
		}
		e := s.serve(t, App{Static: []StaticFiles{{Prefix: "/static", FS: fstest.MapFS{"app.css": {Data: []byte("body{}")}}}}})
		assert.Equal(t, http.StatusOK, e.get("/static/app.css").Code)
	})
	t.Run("a 405 is restored only where the router would answer one, beside Static and wildcard routes", s.restoredOnlyForAWrongMethod)
	t.Run("a Group with a :param prefix applies to an empty parameter", func(t *testing.T) {
		c := &Calls{}
		e := s.serve(t, App{
			Options: []Option{s.f.Group("/users/:id", s.f.OnAny(c.Take("users"))), s.f.OnAny(c.Take("app"))},
			Routes:  []Endpoint{GET("/users/:id/profile", Fail(errors.New("boom")))},
		})
		e.get("/users/7/profile")
		e.get("/users//profile")
		assert.Equal(t, []string{"users", "users"}, c.Ran())

		// Echo routes /users//profile into e.Group("/users/:id") with id
		// "" (its catch-all too, for /users//nothing); a parameter that
		// would be the empty last segment (/users/) is no route of the
		// group's, and neither is it in the scope.
		e = s.serve(t, App{
			Options: []Option{
				s.f.OnAny(func(c Ctx, _ error) error { return c.String(http.StatusNotFound, "app") }),
				s.f.Group("/users/:id", s.f.OnAny(func(c Ctx, _ error) error {
					return c.String(http.StatusTeapot, "users scope, id="+strconv.Quote(c.Param("id")))
				})),
			},
			Groups: []RouteGroup{{Prefix: "/users/:id", Use: []Middleware{passThrough()}, Routes: []Endpoint{
				GET("/profile", Fail(errors.New("profile store down"))),
			}}},
		})
		for _, tc := range []struct{ path, want string }{
			{"/users/7/profile", `users scope, id="7"`},
			{"/users//profile", `users scope, id=""`},
			{"/users//nothing", `users scope, id=""`},
			{"/users//", `users scope, id=""`},
			{"/users/", "app"},
			{"/users", "app"},
		} {
			assert.Equal(t, tc.want, e.get(tc.path).Body.String(), "inside an Echo group with middleware: %s", tc.path)
		}
	})
}

// passThrough is middleware that does nothing; a group that uses it makes
// Echo register its catch-all routes.
func passThrough() Middleware {
	return Func(func(next Route) Route { return next })
}

// restoredOnlyForAWrongMethod: in one application, the 405 is restored
// only where Echo's router itself would have answered 405 but for the
// catch-all 404 routes Group.Use registers (echo#1981). A route of the
// request's own method that returns Echo's NotFound (a wildcard route,
// Static, in a group with middleware or not) is a real 404. The
// application's own RouteNotFound routes win over the router's 405 just as
// Group.Use's do: a 405 stays a 405 with them too (invariant 5).
func (s *suite) restoredOnlyForAWrongMethod(t *testing.T) {
	ok := func(c Ctx) error { return c.String(http.StatusOK, "ok") }
	files := fstest.MapFS{"app.css": {Data: []byte("body{}")}}
	use := []Middleware{passThrough()}
	e := s.serve(t, App{
		Routes: []Endpoint{
			GET("/files/*", Fail(s.f.NotFound())), // "no such file"
			Handle(http.MethodDelete, "/files/:name", ok),
			Handle(http.MethodDelete, "/static/:name", ok),
			{Method: MethodRouteNotFound, Path: "/docs/*", Handler: Fail(s.f.NotFound())}, // the app's own
			Handle(http.MethodPut, "/docs/:page", ok),
		},
		Static: []StaticFiles{{Prefix: "/static", FS: files}},
		Groups: []RouteGroup{
			{Prefix: "/assets", Use: use, Static: []StaticFiles{{Prefix: "/", FS: files}}, Routes: []Endpoint{Handle(http.MethodDelete, "/:name", ok)}},
			{Prefix: "/blobs", Use: use, Routes: []Endpoint{GET("/*", Fail(s.f.NotFound())), Handle(http.MethodDelete, "/:id", ok)}},
			{Prefix: "/api", Use: use, Routes: []Endpoint{Handle(http.MethodDelete, "/items/:id", ok)}},
		},
	})
	for _, tc := range []struct {
		name, method, target string
		status               int
		allow                string
	}{
		{"a wildcard route returning NotFound", http.MethodGet, "/files/missing.txt", 404, ""},
		{"Static: a missing file", http.MethodGet, "/static/missing.css", 404, ""},
		{"Static: a file that exists", http.MethodGet, "/static/app.css", 200, ""},
		{"a group's Static, in a group with middleware: a file that exists", http.MethodGet, "/assets/app.css", 200, ""},
		{"a group's Static, in a group with middleware: a missing file", http.MethodGet, "/assets/missing.css", 404, ""},
		{"a group's own wildcard route returning NotFound", http.MethodGet, "/blobs/7", 404, ""},
		{"restored: the group's catch-all answered a wrong method", http.MethodGet, "/api/items/7", 405, "OPTIONS, DELETE"},
		{"restored: a wrong method on a group's route beside its Static", http.MethodPost, "/assets/app.css", 405, "OPTIONS, DELETE"},
		{"restored: the app's own RouteNotFound answered a wrong method", http.MethodGet, "/docs/intro", 405, "OPTIONS, PUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(tc.method, tc.target)
			require.Equal(t, tc.status, rec.Code)
			assert.Equal(t, tc.allow, rec.Header().Get("Allow"))
		})
	}
}
