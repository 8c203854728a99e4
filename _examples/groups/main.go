// Command groups is a demo of per-group error handling with echoerr: an
// HTML site, a JSON API under /api that answers problem+json, and an admin
// area under /admin, behind Basic auth, with its own error pages. It needs
// no setup; from the repository's root:
//
//	go run ./_examples/groups                       # listens on 127.0.0.1:8080
//	go run ./_examples/groups -addr 127.0.0.1:9000  # or PORT=9000
//	go run ./_examples/groups -debug                # error chains and stacks in the responses
//
// It prints the URLs to try, and its home page links them.
package main

import (
	"crypto/subtle"
	"embed"
	"errors"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/echoerr/echoerr"
)

// adminPages are the admin area's error pages: 4xx.html for client errors
// and error.html for the rest. They use the built-in layout.
//
//go:embed admin/*.html
var adminPages embed.FS

// fieldError is the API's validation error: it carries its status, its
// public text and the offending field for API clients.
type fieldError struct {
	Field   string
	Message string
}

func (e *fieldError) Error() string              { return e.Field + ": " + e.Message }
func (e *fieldError) StatusCode() int            { return http.StatusUnprocessableEntity }
func (e *fieldError) Description() string        { return e.Message }
func (e *fieldError) Extensions() map[string]any { return map[string]any{"field": e.Field} }

var errDatabaseDown = errors.New("dial tcp db.internal:5432: connect: connection refused")

func main() {
	addr := flag.String("addr", defaultAddr(), "listen address (or set PORT)")
	debug := flag.Bool("debug", false, "debug mode: error chains and stacks in responses")
	flag.Parse()

	e := newServer(*debug)
	fmt.Print(tryText(*addr))
	if err := e.Start(*addr); err != nil && !errors.Is(err, http.ErrServerClosed) {
		slog.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

func defaultAddr() string {
	if p := os.Getenv("PORT"); p != "" {
		return "127.0.0.1:" + p
	}
	return "127.0.0.1:8080"
}

// newServer builds the demo application.
func newServer(debug bool) *echo.Echo {
	admin, err := fs.Sub(adminPages, "admin")
	if err != nil {
		panic(err)
	}

	e := echo.New()
	e.HideBanner = true
	e.Debug = debug
	e.Use(middleware.RequestID())
	e.Use(echoerr.Recover())

	e.HTTPErrorHandler = echoerr.New(
		// The site: HTML pages, and a friendlier text for the router's 404
		// (echo.ErrNotFound; a route's own 404 keeps its text). Scopes
		// without a handler for it fall back to this one.
		echoerr.WithRenderer(echoerr.HTML()),
		echoerr.OnError(echo.ErrNotFound, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "There is nothing at " + c.Request().URL.Path + "."
			return fe
		}),

		// The API: problem+json for everything under /api, unknown URLs and
		// wrong methods included.
		echoerr.Group("/api",
			echoerr.WithRenderer(echoerr.Problem()),
			echoerr.OnType(func(c echo.Context, err *fieldError) error {
				return nil // handled: rendered with its status, text and field
			}),
		),

		// The admin area: its own pages, its own home link, and every error
		// reported, not only 5xx.
		echoerr.Group("/admin",
			echoerr.WithRenderer(echoerr.HTML(echoerr.TemplateFS(admin), echoerr.HomeLink("/admin/"))),
			echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
				slog.Warn("admin error, would page someone", "status", fe.Code, "path", c.Request().URL.Path)
			}),
			echoerr.WithReportFilter(func(fe *echoerr.Error) bool {
				return fe.Code != http.StatusUnauthorized // the login prompt is not an incident
			}),
		),
	)

	// The site.
	e.GET("/", func(c echo.Context) error { return c.HTML(http.StatusOK, homePage(c.Request().Host)) })
	e.GET("/broken", func(c echo.Context) error { return fmt.Errorf("render home: %w", errDatabaseDown) })

	// The API.
	api := e.Group("/api")
	api.GET("/users", func(c echo.Context) error {
		return c.JSON(http.StatusOK, []map[string]any{{"id": 1, "name": "Ada"}})
	})
	api.GET("/users/:id", func(c echo.Context) error {
		if c.Param("id") != "1" {
			return echoerr.NotFound(fmt.Sprintf("There is no user %q.", c.Param("id")))
		}
		return c.JSON(http.StatusOK, map[string]any{"id": 1, "name": "Ada"})
	})
	api.POST("/users", func(c echo.Context) error {
		if c.FormValue("name") == "" {
			return &fieldError{Field: "name", Message: "A user needs a name."}
		}
		return c.NoContent(http.StatusCreated)
	})

	// The admin area, behind Basic auth (admin / secret): without it, every
	// URL under /admin, known or not, is a 401 from the middleware.
	adm := e.Group("/admin")
	adm.Use(middleware.BasicAuthWithConfig(middleware.BasicAuthConfig{
		Realm: "admin",
		Validator: func(user, pass string, c echo.Context) (bool, error) {
			ok := subtle.ConstantTimeCompare([]byte(user+":"+pass), []byte("admin:secret")) == 1
			return ok, nil
		},
	}))
	adm.GET("/", func(c echo.Context) error { return c.HTML(http.StatusOK, "<h1>Dashboard</h1>") })
	adm.GET("/reports", func(c echo.Context) error { return fmt.Errorf("build report: %w", errDatabaseDown) })
	return e
}

// demoCase is one request the demo prints and links, with the status and
// headers it promises; main_test.go holds each to what the wire says.
type demoCase struct {
	Area   string      // the part of the application it belongs to
	Method string      // GET or POST (a form on the home page)
	Path   string      // the URL's path
	Auth   string      // user:password, or "" for none
	Status int         // the status it answers with
	Type   string      // its media type
	Header [][2]string // headers it promises, as printed
	Note   string      // what it shows
}

const (
	areaSite  = "The site (HTML pages)"
	areaAPI   = "The API (problem+json, also for routing errors)"
	areaAdmin = "The admin area (its own pages; user admin, password secret)"
)

// demoCases are the demo's requests, in the order they are printed.
var demoCases = []demoCase{
	{Area: areaSite, Method: http.MethodGet, Path: "/nowhere", Status: http.StatusNotFound, Type: "text/html",
		Note: "the application's text for the router's 404"},
	{Area: areaSite, Method: http.MethodGet, Path: "/broken", Status: http.StatusInternalServerError, Type: "text/html",
		Note: "the cause is only in the log"},
	{Area: areaAPI, Method: http.MethodGet, Path: "/api/nowhere", Status: http.StatusNotFound, Type: "application/problem+json",
		Note: "the application's handler, the API's renderer"},
	{Area: areaAPI, Method: http.MethodGet, Path: "/api/users/7", Status: http.StatusNotFound, Type: "application/problem+json",
		Note: "from the route, with its own text"},
	{Area: areaAPI, Method: http.MethodPost, Path: "/api/users/7", Status: http.StatusMethodNotAllowed, Type: "application/problem+json",
		Header: [][2]string{{"Allow", "OPTIONS, GET"}}, Note: "wrong method (the route is GET only)"},
	{Area: areaAPI, Method: http.MethodPost, Path: "/api/users", Status: http.StatusUnprocessableEntity, Type: "application/problem+json",
		Note: `a typed error with "field": "name"`},
	{Area: areaAdmin, Method: http.MethodGet, Path: "/admin/", Status: http.StatusUnauthorized, Type: "text/html",
		Header: [][2]string{{"WWW-Authenticate", `basic realm="admin"`}}, Note: "from the auth middleware: a browser asks to log in"},
	{Area: areaAdmin, Method: http.MethodGet, Path: "/admin/nowhere", Auth: "admin:secret", Status: http.StatusNotFound, Type: "text/html",
		Note: "the admin's 4xx page"},
	{Area: areaAdmin, Method: http.MethodGet, Path: "/admin/reports", Auth: "admin:secret", Status: http.StatusInternalServerError, Type: "text/html",
		Note: "the admin's error page, reported"},
}

// facts is what c promises: the status, the media type and its headers.
func (c demoCase) facts() string {
	s := fmt.Sprintf("%d %s, %s", c.Status, http.StatusText(c.Status), c.Type)
	for _, h := range c.Header {
		s += ", " + h[0] + ": " + h[1]
	}
	return s
}

// command is how to try c: its URL, or a curl command when c needs more.
func (c demoCase) command(base string) string {
	if c.Method == http.MethodGet && c.Auth == "" {
		return base + c.Path
	}
	cmd := "curl -i"
	if c.Method != http.MethodGet {
		cmd += " -X " + c.Method
	}
	if c.Auth != "" {
		cmd += " -u " + c.Auth
	}
	return cmd + " " + base + c.Path
}

// baseURL is the demo's URL for a listen address or Host header such as
// ":8080" or "localhost:8080".
func baseURL(host string) string {
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	return "http://" + host
}

// tryText lists the demo's requests for a host such as "localhost:8080".
func tryText(host string) string {
	base := baseURL(host)
	var b strings.Builder
	fmt.Fprintf(&b, "echoerr groups demo: open %s/ in a browser, or try these with curl -i:\n", base)
	area := ""
	for _, c := range demoCases {
		if c.Area != area {
			area = c.Area
			fmt.Fprintf(&b, "  %s:\n", area)
		}
		fmt.Fprintf(&b, "    %s\n        %s — %s\n", c.command(base), c.facts(), c.Note)
	}
	b.WriteString("  Restart with -debug to see error chains and stacks in the responses.\n")
	return b.String()
}

// homePage is the site's home page: a link to each of the demo's requests,
// or a form for those that POST.
func homePage(host string) string {
	base := baseURL(host)
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>echoerr groups demo</title><h1>echoerr groups demo</h1>`)
	area := ""
	for _, c := range demoCases {
		if c.Area != area {
			if area != "" {
				b.WriteString("\n</ul>")
			}
			area = c.Area
			fmt.Fprintf(&b, "\n<h2>%s</h2><ul>", html.EscapeString(area))
		}
		link := fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(c.Path), html.EscapeString(base+c.Path))
		if c.Method != http.MethodGet {
			link = fmt.Sprintf(`<form method="%s" action="%s"><button>%s %s</button></form>`,
				strings.ToLower(c.Method), html.EscapeString(c.Path), c.Method, html.EscapeString(base+c.Path))
		}
		fmt.Fprintf(&b, "\n<li>%s %s — %s", link, html.EscapeString(c.facts()), html.EscapeString(c.Note))
	}
	b.WriteString("\n</ul><p>Restart with <code>-debug</code> to see error chains and stacks in the responses.</p>\n")
	return b.String()
}
