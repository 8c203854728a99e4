package echoerr

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// restoreMethodNotAllowed gives back the 405 that Echo v4 turns into a 404
// when a RouteNotFound route wins over the router's own 405: the catch-alls
// Group.Use registers (echo#1981), or the application's own
// e/g.RouteNotFound. When err is Echo's routing 404 from such a catch-all
// route ("/*") and another method has a route of its own for the path, it
// sets the Allow header and returns echo.ErrMethodNotAllowed, exactly as
// Echo does without the catch-all.
//
// It never invents a 405: a route of the request's own method that returns
// echo.ErrNotFound (a wildcard route, e.Static, g.Static) answered, and
// stays a 404, as Echo's router would have it.
//
// It costs nothing for other errors and for 404s that matched no route at
// all (scanners); a 404 from a catch-all asks the router once per method,
// and lists the routes when another method has one.
// OPTIONS requests are left alone: Echo answers them itself outside groups.
func restoreMethodNotAllowed(c echo.Context, err error) error {
	if err != echo.ErrNotFound || !strings.HasSuffix(c.Path(), "*") {
		return err
	}
	req := c.Request()
	if req.Method == http.MethodOptions || c.Echo() == nil {
		return err
	}
	e := c.Echo()
	router := e.Router()
	if r, ok := e.Routers()[req.Host]; ok {
		router = r
	}
	probe := e.AcquireContext()
	defer e.ReleaseContext(probe)
	path := echo.GetPath(req)
	var allow strings.Builder
	for _, m := range probedMethods {
		if m == req.Method {
			continue
		}
		probe.Reset(req, nil)
		router.Find(m, path, probe)
		if p := probe.Path(); p != "" && p != c.Path() { // a route of its own, not the catch-all
			allow.WriteString(", ")
			allow.WriteString(m)
		}
	}
	if allow.Len() == 0 || !answeredByCatchAll(router, c) {
		return err
	}
	c.Response().Header().Set(echo.HeaderAllow, http.MethodOptions+allow.String())
	return echo.ErrMethodNotAllowed
}

// answeredByCatchAll reports whether the route that answered c is a
// catch-all: a RouteNotFound route for c.Path(), and no route of the
// request's method for that path (which would have answered instead).
func answeredByCatchAll(router *echo.Router, c echo.Context) bool {
	catchAll := false
	for _, r := range router.Routes() {
		if r.Path != c.Path() {
			continue
		}
		switch r.Method {
		case c.Request().Method:
			return false
		case echo.RouteNotFound:
			catchAll = true
		}
	}
	return catchAll
}

// probedMethods are the methods Echo's router keeps per route, in the order
// Echo writes them into an Allow header (after OPTIONS).
var probedMethods = [...]string{
	http.MethodConnect, http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch,
	http.MethodPost, "PROPFIND", http.MethodPut, http.MethodTrace, "REPORT",
}
