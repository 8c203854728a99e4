package echoerr

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// probedMethods are the methods Echo's router keeps per route, in the order
// Echo writes them into an Allow header (after OPTIONS).
var probedMethods = [...]string{
	http.MethodConnect, http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch,
	http.MethodPost, "PROPFIND", http.MethodPut, http.MethodTrace, "REPORT",
}

// restoreMethodNotAllowed gives back the 405 that Echo v4 turns into a 404
// inside a group that calls Use (echo#1981): Group.Use registers catch-all
// RouteNotFound routes, and the router prefers them to its own 405. When
// err is Echo's routing 404 from a catch-all route ("/*") and another
// method has a route of its own for the path, it sets the Allow header and
// returns echo.ErrMethodNotAllowed, exactly as Echo does outside a group.
//
// It costs nothing for other errors and for 404s that matched no route at
// all (scanners); a 404 from a catch-all asks the router once per method.
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
	if allow.Len() == 0 {
		return err
	}
	c.Response().Header().Set(echo.HeaderAllow, http.MethodOptions+allow.String())
	return echo.ErrMethodNotAllowed
}
