package echoerr

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/labstack/echo/v5"
)

// countingRouter counts Route calls, to prove which 404s cost probes.
type countingRouter struct {
	echo.Router
	routes *int
}

func (r countingRouter) Route(c *echo.Context) echo.HandlerFunc {
	*r.routes++
	return r.Router.Route(c)
}

type registrar struct {
	add    func(method, path string, h echo.HandlerFunc)
	static func(prefix, root string)
}

func ok(c *echo.Context) error       { return c.String(http.StatusOK, "ok") }
func notFound(*echo.Context) error   { return echo.ErrNotFound }
func staticRoot(t *testing.T) string { d, _ := filepath.Abs("testdata/static"); return d }

// routeSets are registered under /api, once outside any group and once in a group
// that called Use (echo#1981).
var routeSets = map[string]func(r registrar, root string){
	"api": func(r registrar, root string) {
		r.add(http.MethodGet, "", ok)
		r.add(http.MethodGet, "/users", ok)
		r.add(http.MethodPut, "/users", ok)
		r.add("COPY", "/users", ok)
		r.add(http.MethodDelete, "/users/:id", ok)
		r.add(http.MethodPatch, "/users/:name", ok) // same node as :id
		r.add(http.MethodGet, "/users/:id/posts", ok)
		r.add(http.MethodGet, "/files/*", notFound) // a real route that answers 404
		r.add(http.MethodDelete, "/files/:name", ok)
		r.static("/static", root)
	},
	"multi-node": func(r registrar, root string) {
		r.add(http.MethodGet, "/users/:id", ok)
		r.add(http.MethodPut, "/*", ok) // shares the node of the group's own "/api/*" catch-all
	},
}

type result struct {
	code  int
	allow string
}

func run(t *testing.T, set string, withUse, restore, autoHEAD bool, method, target string) (result, int) {
	t.Helper()
	routes := 0
	e := echo.NewWithConfig(echo.Config{Router: countingRouter{echo.NewRouter(echo.RouterConfig{AllowOverwritingRoute: true, AutoHandleHEAD: autoHEAD}), &routes}})
	e.Filesystem = os.DirFS("/")
	root := staticRoot(t)[1:]
	var r registrar
	if withUse {
		g := e.Group("/api")
		g.Use(func(next echo.HandlerFunc) echo.HandlerFunc { return next })
		r = registrar{func(m, p string, h echo.HandlerFunc) { g.Add(m, p, h) }, func(p, d string) { g.Static(p, d) }}
	} else {
		r = registrar{func(m, p string, h echo.HandlerFunc) { e.Add(m, "/api"+p, h) }, func(p, d string) { e.Static("/api"+p, d) }}
	}
	routeSets[set](r, root)
	def := echo.DefaultHTTPErrorHandler(false)
	e.HTTPErrorHandler = func(c *echo.Context, err error) {
		if restore {
			err = restoreMethodNotAllowed(c, err)
		}
		def(c, err)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return result{rec.Code, rec.Header().Get(echo.HeaderAllow)}, routes - 1 // minus the request's own routing
}

func TestRestoreMethodNotAllowed(t *testing.T) {
	cases := []struct {
		set, method, target string
		autoHEAD            bool
		want                result // what Echo answers outside a group; checked too
	}{
		{"api", "POST", "/api/users", false, result{405, "OPTIONS, GET, PUT, COPY"}},
		{"api", "HEAD", "/api/users", false, result{405, "OPTIONS, GET, PUT, COPY"}},
		{"api", "PROPFIND", "/api/users", false, result{405, "OPTIONS, GET, PUT, COPY"}},
		{"api", "FOO", "/api/users", false, result{405, "OPTIONS, GET, PUT, COPY"}},
		{"api", "GET", "/api/users/1", false, result{405, "OPTIONS, DELETE, PATCH"}},
		{"api", "POST", "/api/users/1/posts", false, result{405, "OPTIONS, GET"}},
		{"api", "POST", "/api", false, result{405, "OPTIONS, GET"}}, // the group's "/api" catch-all: c.Path() has no '*'
		{"api", "GET", "/api/nope", false, result{404, ""}},
		{"api", "DELETE", "/api/nope/deeper", false, result{404, ""}},
		{"api", "GET", "/api/files/x", false, result{404, ""}},                // the route's own 404
		{"api", "PUT", "/api/files/x", false, result{405, "OPTIONS, DELETE"}}, // Echo picks the param node over the any node
		{"api", "GET", "/api/static/hello.txt", false, result{200, ""}},
		{"api", "GET", "/api/static/missing.txt", false, result{404, ""}}, // Static stays 404
		{"api", "POST", "/api/static/hello.txt", false, result{405, "OPTIONS, GET"}},
		{"api", "POST", "/api/users", true, result{405, "OPTIONS, GET, PUT, COPY"}}, // AutoHandleHEAD: HEAD not listed, as Echo
		{"multi-node", "POST", "/api/users/1", false, result{405, "OPTIONS, GET"}},
		{"multi-node", "POST", "/api/other", false, result{405, "OPTIONS, PUT"}},
	}
	for _, tc := range cases {
		name := tc.set + " " + tc.method + " " + tc.target
		if tc.autoHEAD {
			name += " (AutoHandleHEAD)"
		}
		t.Run(name, func(t *testing.T) {
			plain, _ := run(t, tc.set, false, false, tc.autoHEAD, tc.method, tc.target)
			if plain != tc.want {
				t.Fatalf("Echo outside a group: got %+v, table says %+v", plain, tc.want)
			}
			masked, _ := run(t, tc.set, true, false, tc.autoHEAD, tc.method, tc.target)
			restored, probes := run(t, tc.set, true, true, tc.autoHEAD, tc.method, tc.target)
			if restored != plain {
				t.Fatalf("group with Use + restore: got %+v, Echo outside a group %+v (without restore: %+v)", restored, plain, masked)
			}
			t.Logf("outside group %+v | group+Use %+v | group+Use+restore %+v (%d probes)", plain, masked, restored, probes)
		})
	}
}

func TestRestoreLeavesOptionsAlone(t *testing.T) {
	plain, _ := run(t, "api", false, false, false, http.MethodOptions, "/api/users")
	masked, _ := run(t, "api", true, false, false, http.MethodOptions, "/api/users")
	restored, probes := run(t, "api", true, true, false, http.MethodOptions, "/api/users")
	t.Logf("OPTIONS /api/users: outside group %+v | group+Use %+v | group+Use+restore %+v (%d probes)", plain, masked, restored, probes)
	if restored != masked || probes != 0 {
		t.Fatalf("OPTIONS touched: %+v, %d probes", restored, probes)
	}
}

// TestRestoreCost: nothing for 404s that matched no route, nor for a route's own 404,
// nor for other errors.
func TestRestoreCost(t *testing.T) {
	for _, tc := range []struct {
		withUse        bool
		method, target string
	}{
		{false, "GET", "/nope"},         // scanner 404 outside any group: matched no route
		{true, "GET", "/nope"},          // ... also with a group elsewhere
		{true, "GET", "/api/files/x"},   // a real route's own ErrNotFound
		{true, "GET", "/api/static/no"}, // Static's ErrNotFound
	} {
		res, probes := run(t, "api", tc.withUse, true, false, tc.method, tc.target)
		if probes != 0 || res.code != 404 {
			t.Errorf("%s %s: %+v, %d probes", tc.method, tc.target, res, probes)
		}
	}
	// allocations of the gate itself, for a 404 that matched no route
	e := echo.New()
	e.GET("/x", ok)
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/nope", nil), httptest.NewRecorder())
	h := e.Router().Route(c)
	err := h(c)
	if n := testing.AllocsPerRun(100, func() { _ = restoreMethodNotAllowed(c, err) }); n != 0 {
		t.Errorf("no-route 404 allocates %v", n)
	}
	other := echo.ErrBadRequest
	if n := testing.AllocsPerRun(100, func() { _ = restoreMethodNotAllowed(c, other) }); n != 0 {
		t.Errorf("other error allocates %v", n)
	}
}

func TestNodeKeyAndOrder(t *testing.T) {
	if got := nodeKey(`/a/:id/b/:name\:verb/*`); got != `/a/:/b/:\:verb/*` {
		t.Fatal(got)
	}
	if !dfsBefore("/api/users/:", "/api/*") || !dfsBefore("/api/files/:", "/api/files/*") || !dfsBefore("/api/users", "/api/users*") || dfsBefore("/api/*", "/api/users") {
		t.Fatal("order")
	}
}

// TestRestoreOtherCatchAlls: the app's own RouteNotFound("/*") returning ErrNotFound (a 405
// stays a 405 with it too, invariant 5), and
// a nested group (which inherits the parent's middleware and registers its own catch-alls).
func TestRestoreOtherCatchAlls(t *testing.T) {
	def := echo.DefaultHTTPErrorHandler(false)
	restoring := func(c *echo.Context, err error) { def(c, restoreMethodNotAllowed(c, err)) }
	mw := func(next echo.HandlerFunc) echo.HandlerFunc { return next }

	// user catch-all at the root
	e := quietEcho()
	e.HTTPErrorHandler = restoring
	e.GET("/users", ok)
	e.RouteNotFound("/*", notFound)
	for _, tc := range []struct {
		method, target string
		want           result
	}{
		{"POST", "/users", result{405, "OPTIONS, GET"}},
		{"GET", "/nope", result{404, ""}},
	} {
		rec := serve(e, tc.method, tc.target)
		if got := (result{rec.Code, rec.Header().Get("Allow")}); got != tc.want {
			t.Errorf("root RouteNotFound %s %s: %+v, want %+v", tc.method, tc.target, got, tc.want)
		}
	}

	// nested groups
	e2 := quietEcho()
	e2.HTTPErrorHandler = restoring
	g := e2.Group("/api", mw)
	v1 := g.Group("/v1")
	v1.GET("/items/:id", ok)
	v1.DELETE("/items/:id", ok)
	for _, tc := range []struct {
		method, target string
		want           result
	}{
		{"PUT", "/api/v1/items/3", result{405, "OPTIONS, DELETE, GET"}},
		{"GET", "/api/v1/nope", result{404, ""}},
		{"GET", "/api/nope", result{404, ""}},
		{"POST", "/api/v1", result{404, ""}},
	} {
		rec := serve(e2, tc.method, tc.target)
		if got := (result{rec.Code, rec.Header().Get("Allow")}); got != tc.want {
			t.Errorf("nested group %s %s: %+v, want %+v", tc.method, tc.target, got, tc.want)
		}
	}
}
