package echoerr

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v5"
)

// allowOrder is the order in which Echo v5.4.4's router writes the methods of a
// node into its Allow header, after OPTIONS (router.go:314-365,
// routeMethods.updateAllowHeader). Methods outside this list (anyOther) follow, in
// Echo's map order; here in Routes() order.
var allowOrder = [...]string{
	http.MethodConnect, http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch,
	http.MethodPost, echo.PROPFIND, http.MethodPut, http.MethodTrace, echo.REPORT, echo.QUERY,
}

// restoreMethodNotAllowed gives back the 405 that Echo v5 turns into a 404 when a
// RouteNotFound route (the catch-alls that Group.Use registers for prefix and
// prefix+"/*", group.go:44-49, or the user's own e/g.RouteNotFound) wins over the
// router's own 405 (router.go:1100-1102, 1166-1171; echo#1981).
//
// When err is the router's ErrNotFound and the route that produced it is a
// RouteNotFound route, it asks the router, through the public Router.Route, which
// other methods have a route of their own for the request path; if some do, it sets
// Allow exactly as Echo does outside a group and returns echo.ErrMethodNotAllowed.
// Otherwise it returns err unchanged.
//
// Cost: one pointer comparison for every other error; one more string check for a
// 404 that matched no route at all (c.Path() == "", router.go:1140-1144); the probes
// (one Router.Route per method) only for a 404 answered by a RouteNotFound route.
// OPTIONS requests are left alone.
func restoreMethodNotAllowed(c *echo.Context, err error) error {
	if err != echo.ErrNotFound || c.Path() == "" { // exact sentinel: a wrapped 404 is the app's own
		return err
	}
	if c.Request().Method == http.MethodOptions {
		return err
	}
	e := c.Echo()
	if e == nil || c.RouteInfo().Method != echo.RouteNotFound {
		return err // a real route (e.g. GET /files/*) answered 404 itself: never invent a 405
	}
	hits := otherMethods(e, c)
	if len(hits) == 0 {
		return err // nothing else lives at this path: a real 404
	}
	c.Response().Header().Set(echo.HeaderAllow, allowHeader(hits))
	return echo.ErrMethodNotAllowed
}

// methodHit is a method with a route of its own for the request's path, and
// the router node that route lives on (its path with parameter names
// dropped).
type methodHit struct{ method, node string }

// otherMethods asks the router, through the public Router.Route, which
// other methods than the request's have a route of their own for its path:
// one probe per method Echo keeps in order (allowOrder), then per custom
// method the routes use.
func otherMethods(e *echo.Echo, c *echo.Context) []methodHit {
	router := e.Router()
	req := c.Request()
	shared, custom := routesAt(router, c.Path())

	probe := e.AcquireContext()
	defer e.ReleaseContext(probe)
	preq := *req // shallow copy: Route reads Method and URL, and writes Pattern (router.go:1202)
	var hits []methodHit
	try := func(m string) {
		if m == req.Method {
			return
		}
		preq.Method = m
		probe.Reset(&preq, nil)
		router.Route(probe)
		p := probe.Path()
		// The probe walks the same search as the request did and stops earlier only
		// where m has a route: a different path is a route of its own for m (or, for
		// HEAD with AutoHandleHEAD, the GET route: Echo's Allow omits HEAD then). The
		// same path is the same catch-all, unless a real route shares it.
		if p == c.Path() && !shared {
			return
		}
		if p != c.Path() && m != http.MethodHead {
			hits = append(hits, methodHit{m, nodeKey(p)})
			return
		}
		switch ri := probe.RouteInfo(); ri.Method { // RouteInfo allocates a copy: only here
		case m, echo.RouteAny:
			hits = append(hits, methodHit{m, nodeKey(ri.Path)})
		}
	}
	for _, m := range allowOrder {
		try(m)
	}
	for _, m := range custom {
		try(m)
	}
	return hits
}

// routesAt reports, in one pass over the routes, whether a real route shares
// the catch-all's path (PUT "/api/*" next to the group's "/api/*"), and which
// methods outside allowOrder the routes use (Echo keeps them in
// routeMethods.anyOther and lists them in Allow too).
func routesAt(router echo.Router, path string) (shared bool, custom []string) {
	for _, ri := range router.Routes() {
		m := ri.Method
		if m == echo.RouteNotFound {
			continue
		}
		if ri.Path == path {
			shared = true
		}
		if m != echo.RouteAny && m != http.MethodOptions && !isKnown(m) && !slices.Contains(custom, m) {
			custom = append(custom, m)
		}
	}
	return shared, custom
}

// allowHeader is the Allow header Echo answers with: OPTIONS, then the
// methods of the first handler node its depth-first search (static > param
// > any) reaches (router.go:1035-1037, 1096-1099, 1161-1176).
func allowHeader(hits []methodHit) string {
	best := hits[0].node
	for _, h := range hits[1:] {
		if dfsBefore(h.node, best) {
			best = h.node
		}
	}
	var allow strings.Builder
	allow.WriteString(http.MethodOptions)
	for _, h := range hits {
		if h.node == best {
			allow.WriteString(", ")
			allow.WriteString(h.method)
		}
	}
	return allow.String()
}

func isKnown(m string) bool {
	for _, k := range allowOrder {
		if k == m {
			return true
		}
	}
	return false
}

// nodeKey is a route path with its parameter names dropped: routes whose paths
// differ only in parameter names share one router node (and one Allow list).
func nodeKey(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		if ch == '\\' && i+1 < len(p) && p[i+1] == ':' { // escaped colon: literal
			b.WriteString(`\:`)
			i++
			continue
		}
		b.WriteByte(ch)
		if ch == ':' {
			for i+1 < len(p) && p[i+1] != '/' && !(p[i+1] == '\\' && i+2 < len(p) && p[i+2] == ':') {
				i++
			}
		}
	}
	return b.String()
}

// dfsBefore reports whether the router's search reaches node a before node b, for
// two nodes that both match the request path: at the first byte where they differ,
// the end of a path beats a static byte, which beats a param, which beats an any.
func dfsBefore(a, b string) bool {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	rank := func(s string) int {
		switch {
		case i >= len(s):
			return 0
		case s[i] == '*':
			return 3
		case s[i] == ':' && (i == 0 || s[i-1] != '\\'):
			return 2
		default:
			return 1
		}
	}
	return rank(a) < rank(b)
}
