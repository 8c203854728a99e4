package echoerr

import (
	"net/http"
	"reflect"
	"runtime"
	"strings"

	"github.com/labstack/echo/v4"
)

// restoreMethodNotAllowed gives back the 405 that Echo v4 turns into a 404
// inside a group that calls Use (echo#1981): Group.Use registers catch-all
// RouteNotFound routes, and the router prefers them to its own 405. When
// err is Echo's routing 404 from such a catch-all route ("/*") and another
// method has a route of its own for the path, it sets the Allow header and
// returns echo.ErrMethodNotAllowed, exactly as Echo does outside a group.
//
// It never invents a 405: a route of the request's own method that returns
// echo.ErrNotFound (a wildcard route, e.Static, g.Static) answered, and so
// did a RouteNotFound route of the user's own; both stay 404, as Echo's
// router would have them. Only the catch-all Group.Use registers, Echo's
// NotFoundHandler under RouteNotFound, is looked through.
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
	if allow.Len() == 0 || !answeredByGroupCatchAll(router, c) {
		return err
	}
	c.Response().Header().Set(echo.HeaderAllow, http.MethodOptions+allow.String())
	return echo.ErrMethodNotAllowed
}

// answeredByGroupCatchAll reports whether the route that answered c is a
// catch-all that Group.Use registered: a RouteNotFound route for c.Path()
// with Echo's NotFoundHandler, and no route of the request's method for
// that path (which would have answered instead).
func answeredByGroupCatchAll(router *echo.Router, c echo.Context) bool {
	catchAll := false
	for _, r := range router.Routes() {
		if r.Path != c.Path() {
			continue
		}
		switch r.Method {
		case c.Request().Method:
			return false
		case echo.RouteNotFound:
			catchAll = r.Name == handlerName(echo.NotFoundHandler)
		}
	}
	return catchAll
}

// handlerName is the name Echo gives the route of handler h.
func handlerName(h echo.HandlerFunc) string {
	return runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
}

// probedMethods are the methods Echo's router keeps per route, in the order
// Echo writes them into an Allow header (after OPTIONS).
var probedMethods = [...]string{
	http.MethodConnect, http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch,
	http.MethodPost, "PROPFIND", http.MethodPut, http.MethodTrace, "REPORT",
}
