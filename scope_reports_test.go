package echoerr_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// sitePage is a Renderer test double for an HTML site: it writes a small
// text/html page titled with the site's name.
type sitePage string

func (p sitePage) Render(c echo.Context, e *echoerr.Error) error {
	body := fmt.Sprintf("<h1>%s: %d %s</h1><p>%s</p>", p, e.Code, html.EscapeString(e.Name), html.EscapeString(e.Description))
	return echoerr.Send(c, e.Code, echo.MIMETextHTMLCharsetUTF8, []byte(body))
}

// paymentError is a domain error of one part of an application.
type paymentError struct{ reason string }

func (e *paymentError) Error() string { return "payment refused: " + e.reason }

// exchangeCheck is one request of a reported situation and what its
// response must look like.
type exchangeCheck struct {
	method, host, path string
	status             int
	contentType        string            // a prefix of Content-Type; "" = any
	body               []string          // substrings of the body
	header             map[string]string // exact header values
}

func expectGET(path string, status int, contentType string, body ...string) exchangeCheck {
	return exchangeCheck{method: http.MethodGet, path: path, status: status, contentType: contentType, body: body}
}

func (x exchangeCheck) on(host string) exchangeCheck { x.host = host; return x }

func (x exchangeCheck) with(header map[string]string) exchangeCheck { x.header = header; return x }

// TestReportedSituations reproduces what users of Flask, Echo, Fiber and
// FastAPI reported about per-group (blueprint, sub-app, router) error
// handling, and checks that echoerr scopes do what they asked for.
func TestReportedSituations(t *testing.T) {
	const (
		jsonCT = echo.MIMEApplicationJSON
		htmlCT = echo.MIMETextHTML
		textCT = echo.MIMETextPlain
	)
	for _, tc := range []struct {
		name   string
		opts   []echoerr.Option
		routes func(e *echo.Echo)
		checks []exchangeCheck
	}{
		{
			// flask#1498 (verbatim repro), flask#1935, flask#2224, flask#3572:
			// a blueprint's 404 handler never ran for unknown URLs under its
			// url_prefix, only for abort(404) in its own views.
			name: "flask#1498 blueprint 404 handler for unknown URLs under its prefix",
			opts: []echoerr.Option{
				echoerr.OnCode(http.StatusNotFound, say("app")),
				echoerr.Group("/blue", echoerr.OnCode(http.StatusNotFound, say("myblueprint"))),
			},
			routes: func(e *echo.Echo) {
				e.GET("/blue/hello", func(c echo.Context) error { return c.String(http.StatusOK, "hello world!") })
				e.GET("/blue/forced_404", func(echo.Context) error { return echo.ErrNotFound })
			},
			checks: []exchangeCheck{
				expectGET("/blue/hello", http.StatusOK, "", "hello world!"),
				expectGET("/blue/notExist", http.StatusNotFound, textCT, "myblueprint 404"),
				expectGET("/blue/forced_404", http.StatusNotFound, textCT, "myblueprint 404"),
				expectGET("/notExist", http.StatusNotFound, textCT, "app 404"),
			},
		},
		{
			// flask#503 (davidism's workaround branches on request.path in
			// the app's handler), ovh/celery-director#42, fastapi#1667: a
			// JSON API beside an HTML site, each with its own error format,
			// for routing errors as well as errors from views.
			name: "flask#503 JSON API group beside an HTML site",
			opts: []echoerr.Option{
				echoerr.WithRenderer(sitePage("site")),
				echoerr.Group("/api", echoerr.WithRenderer(echoerr.JSON())),
			},
			routes: func(e *echo.Echo) {
				e.GET("/about", func(echo.Context) error { return fmt.Errorf("template: %w", errScopeTest) })
				e.GET("/api/users/:id", func(c echo.Context) error {
					return echoerr.NotFound("No user " + c.Param("id") + ".")
				})
			},
			checks: []exchangeCheck{
				expectGET("/nope", http.StatusNotFound, htmlCT, "<h1>site: 404 Not Found</h1>"),
				expectGET("/about", http.StatusInternalServerError, htmlCT, "site: 500"),
				expectGET("/api/nope", http.StatusNotFound, jsonCT, `"code":404`),
				expectGET("/api/users/7", http.StatusNotFound, jsonCT, `"description":"No user 7."`),
				expectGET("/api", http.StatusNotFound, jsonCT, `"name":"Not Found"`),
				expectGET("/apidocs", http.StatusNotFound, htmlCT, "site: 404"),
			},
		},
		{
			// flask#4039: a "ui" and an "api" blueprint, each with its own
			// catch-all (Exception) handler.
			name: "flask#4039 sibling groups each own their catch-all",
			opts: []echoerr.Option{
				echoerr.Group("/ui", echoerr.OnAny(say("ui handler"))),
				echoerr.Group("/api", echoerr.OnAny(say("api handler"))),
			},
			routes: func(e *echo.Echo) {
				e.GET("/ui/", func(echo.Context) error { return errScopeTest })
				e.GET("/api/", func(echo.Context) error { return errScopeTest })
			},
			checks: []exchangeCheck{
				expectGET("/ui/", http.StatusInternalServerError, textCT, "ui handler 500"),
				expectGET("/api/", http.StatusInternalServerError, textCT, "api handler 500"),
				expectGET("/ui/missing", http.StatusNotFound, textCT, "ui handler 404"),
			},
		},
		{
			// echo#1981: with group middleware Echo v4 answers a wrong method
			// with 404; without it, with 405 and Allow. echoerr restores the
			// 405 and its Allow, and either way the answer is the group's.
			name: "echo#1981 405 versus 404 inside a group",
			opts: []echoerr.Option{
				echoerr.WithRenderer(sitePage("site")),
				echoerr.Group("/api", echoerr.WithRenderer(echoerr.JSON())),
				echoerr.Group("/admin", echoerr.WithRenderer(sitePage("admin"))),
			},
			routes: func(e *echo.Echo) {
				e.Group("/api").GET("/users", okHandler)
				admin := e.Group("/admin")
				admin.Use(mark("admin"))
				admin.GET("/users", okHandler)
			},
			checks: []exchangeCheck{
				{method: http.MethodPost, path: "/api/users", status: http.StatusMethodNotAllowed, contentType: jsonCT,
					body: []string{`"code":405`}, header: map[string]string{"Allow": "OPTIONS, GET"}},
				{method: http.MethodDelete, path: "/api/users", status: http.StatusMethodNotAllowed, contentType: jsonCT},
				expectGET("/api/users/x", http.StatusNotFound, jsonCT, `"code":404`),
				{method: http.MethodPost, path: "/admin/users", status: http.StatusMethodNotAllowed, contentType: htmlCT,
					body: []string{"admin: 405"}, header: map[string]string{"Allow": "OPTIONS, GET", "X-Middleware": "admin"}},
				expectGET("/admin/nope", http.StatusNotFound, htmlCT, "admin: 404"),
			},
		},
		{
			// fiber#1632: a sub-app mounted inside a group lost its error
			// handler; mounted at the full path it kept it. Nested and flat
			// declarations behave alike here, and the nested one falls back
			// to its parent group.
			name: "fiber#1632 nested groups",
			opts: []echoerr.Option{
				echoerr.WithRenderer(sitePage("site")),
				echoerr.Group("/api", echoerr.WithRenderer(echoerr.JSON()),
					echoerr.OnCode(http.StatusForbidden, say("api forbidden")),
					echoerr.Group("/v1", echoerr.OnCode(http.StatusNotFound, say("v1 not found"))),
				),
				echoerr.Group("/api2/v1", echoerr.OnCode(http.StatusNotFound, say("flat v1 not found"))),
			},
			routes: func(e *echo.Echo) {
				api := e.Group("/api")
				api.Group("/v1").GET("/secret", func(echo.Context) error { return echo.ErrForbidden })
			},
			checks: []exchangeCheck{
				expectGET("/api/v1/nope", http.StatusNotFound, textCT, "v1 not found 404"),
				expectGET("/api2/v1/nope", http.StatusNotFound, textCT, "flat v1 not found 404"),
				expectGET("/api/v1/secret", http.StatusForbidden, textCT, "api forbidden 403"),
				expectGET("/api/v2/nope", http.StatusNotFound, jsonCT, `"code":404`),
			},
		},
		{
			// echo#2485, echo#856: with group middleware Echo routes unknown
			// URLs to the group's own RouteNotFound handler, which ignores the
			// root one; echo#856 asked for a not-found handler per group.
			// Here the application's 404 handling applies under such a group
			// unless the group sets its own.
			name: "echo#2485 echo#856 group with middleware falls back to the application's 404",
			opts: []echoerr.Option{
				echoerr.OnCode(http.StatusNotFound, say("missing route")),
				echoerr.Group("/v1", echoerr.OnCode(http.StatusNotFound, say("v1 missing"))),
			},
			routes: func(e *echo.Echo) {
				e.Group("/v0", mark("v0")).POST("/resource", okHandler)
				e.Group("/v1", mark("v1")).POST("/resource", okHandler)
			},
			checks: []exchangeCheck{
				expectGET("/foo", http.StatusNotFound, textCT, "missing route 404"),
				expectGET("/v0/foo", http.StatusNotFound, textCT, "missing route 404").with(map[string]string{"X-Middleware": "v0"}),
				expectGET("/v1/foo", http.StatusNotFound, textCT, "v1 missing 404").with(map[string]string{"X-Middleware": "v1"}),
			},
		},
		{
			// echo#2775 and the static-file questions around Group.Static: a
			// missing asset under a group is the group's 404 (here a short
			// text answer rather than the site's page).
			name: "echo#2775 static files under a group",
			opts: []echoerr.Option{
				echoerr.WithRenderer(sitePage("site")),
				echoerr.Group("/assets", as("assets")),
			},
			routes: func(e *echo.Echo) {
				e.Filesystem = fstest.MapFS{"public/app.css": {Data: []byte("body{}")}}
				g := e.Group("/assets")
				g.Static("/", "public")
				g.FileFS("/logo.png", "logo.png", fstest.MapFS{})
			},
			checks: []exchangeCheck{
				expectGET("/assets/app.css", http.StatusOK, "", "body{}"),
				expectGET("/assets/missing.css", http.StatusNotFound, textCT, "assets 404"),
				expectGET("/assets/logo.png", http.StatusNotFound, textCT, "assets 404"),
				expectGET("/assets/../admin/x", http.StatusNotFound, textCT, "assets 404"), // Echo refuses the traversal
				expectGET("/missing.css", http.StatusNotFound, htmlCT, "site: 404"),
			},
		},
		{
			// A host-based admin site (Echo's e.Host virtual hosts): its own
			// pages and handlers, whatever the path; the public site and an
			// API host answer in their own formats.
			name: "host-based admin site",
			opts: []echoerr.Option{
				echoerr.WithRenderer(sitePage("www")),
				echoerr.Group("/api", echoerr.WithRenderer(echoerr.JSON())),
				echoerr.Host("admin.example.com", echoerr.WithRenderer(sitePage("admin")),
					echoerr.OnCode(http.StatusUnauthorized, func(c echo.Context, err error) error {
						return c.Redirect(http.StatusFound, "/login")
					})),
				echoerr.Host("api.example.com", echoerr.WithRenderer(echoerr.JSON())),
			},
			routes: func(e *echo.Echo) {
				admin := e.Host("admin.example.com")
				admin.Use(requireAuth)
				admin.GET("/dashboard", okHandler)
			},
			checks: []exchangeCheck{
				expectGET("/dashboard", http.StatusFound, "").on("admin.example.com").with(map[string]string{"Location": "/login"}),
				expectGET("/nope", http.StatusFound, "").on("admin.example.com").with(map[string]string{"Location": "/login"}),
				expectGET("/api/x", http.StatusFound, "").on("admin.example.com"),
				expectGET("/dashboard", http.StatusNotFound, htmlCT, "www: 404").on("www.example.com"),
				expectGET("/dashboard", http.StatusNotFound, jsonCT, `"code":404`).on("api.example.com"),
				expectGET("/api/x", http.StatusNotFound, jsonCT, `"code":404`).on("www.example.com"),
			},
		},
		{
			// fastapi#1667 (refused), fastapi#15067 (proposed precedence
			// route > child router > parent router > app): a domain error
			// handled by the router that owns it, not by the whole app.
			name: "fastapi#1667 per-router handler for a domain error type",
			opts: []echoerr.Option{
				echoerr.OnCode(http.StatusNotFound, say("app 404")),
				echoerr.Group("/payments",
					echoerr.OnType(func(c echo.Context, err *paymentError) error {
						fe := echoerr.NewError(http.StatusPaymentRequired, "Payment refused: "+err.reason+".")
						return fe
					}),
					echoerr.Group("/refunds", echoerr.OnCode(http.StatusNotFound, say("no such refund"))),
				),
			},
			routes: func(e *echo.Echo) {
				pay := func(echo.Context) error { return fmt.Errorf("charge: %w", &paymentError{"card expired"}) }
				e.POST("/payments/charge", pay)
				e.POST("/payments/refunds/1", pay)
				e.POST("/orders", pay)
			},
			checks: []exchangeCheck{
				{method: http.MethodPost, path: "/payments/charge", status: http.StatusPaymentRequired, contentType: jsonCT,
					body: []string{`"description":"Payment refused: card expired."`}},
				{method: http.MethodPost, path: "/payments/refunds/1", status: http.StatusPaymentRequired, contentType: jsonCT},
				expectGET("/payments/refunds/2", http.StatusNotFound, textCT, "no such refund 404"),
				expectGET("/payments/x", http.StatusNotFound, textCT, "app 404"),
				{method: http.MethodPost, path: "/orders", status: http.StatusInternalServerError, contentType: jsonCT,
					body: []string{`"code":500`}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.HTTPErrorHandler = echoerr.New(append([]echoerr.Option{quiet()}, tc.opts...)...)
			tc.routes(e)
			for _, x := range tc.checks {
				rec := request(e, x.method, x.host, x.path)
				what := x.method + " " + x.host + x.path
				require.Equal(t, x.status, rec.Code, what)
				if x.contentType != "" {
					assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), x.contentType),
						"%s: Content-Type %q", what, rec.Header().Get("Content-Type"))
				}
				for _, b := range x.body {
					assert.Contains(t, rec.Body.String(), b, what)
				}
				for k, v := range x.header {
					assert.Equal(t, v, rec.Header().Get(k), "%s: header %s", what, k)
				}
			}
		})
	}
}

// TestScopeChoiceIsDeterministic: fiber#3906 reports a sub-app's error
// handler used on some requests and not on others, depending on map
// iteration order. Here overlapping scopes are built many times (each New
// has fresh map seeds) and always resolve the same way.
func TestScopeChoiceIsDeterministic(t *testing.T) {
	for range 25 {
		e := newApp(
			echoerr.Group("/api", as("api")),
			echoerr.Group("/api/v1", as("v1")),
			echoerr.Group("/api/v1/users", as("users")),
			echoerr.Group("/api/:version", as("version")),
			echoerr.Group("/:any", as("any")),
			echoerr.Host("*.example.com", echoerr.Group("/api", as("sub-api"))),
			echoerr.Host("*.eu.example.com", as("eu")),
		)
		for range 4 {
			assert.Equal(t, "users 404", request(e, http.MethodGet, "", "/api/v1/users/7").Body.String())
			assert.Equal(t, "v1 404", request(e, http.MethodGet, "", "/api/v1/x").Body.String())
			assert.Equal(t, "version 404", request(e, http.MethodGet, "", "/api/v2/x").Body.String())
			assert.Equal(t, "any 404", request(e, http.MethodGet, "", "/apix").Body.String())
			assert.Equal(t, "eu 404", request(e, http.MethodGet, "a.eu.example.com", "/api/x").Body.String())
			assert.Equal(t, "sub-api 404", request(e, http.MethodGet, "a.example.com", "/api/x").Body.String())
		}
	}
}
