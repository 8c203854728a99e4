// Command groups is a demo of per-group error handling with echoerr: an
// HTML site, a JSON API under /api that answers problem+json, and an admin
// area under /admin, behind Basic auth, with its own error pages.
//
//	go run ./_examples/groups              # listens on :8080
//	go run ./_examples/groups -addr :9000  # or PORT=9000
//
// It prints the URLs to try.
package main

import (
	"crypto/subtle"
	"embed"
	"errors"
	"flag"
	"fmt"
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
		return ":" + p
	}
	return ":8080"
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
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: echoerr.RecoverStack}))

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

// homePage is the site's home page, with links to the demo's URLs.
func homePage(host string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><title>echoerr groups demo</title><h1>echoerr groups demo</h1><pre>")
	for _, line := range strings.Split(tryText(host), "\n") {
		b.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(line))
		b.WriteString("\n")
	}
	b.WriteString("</pre>")
	return b.String()
}

// tryText lists the demo's URLs for a host such as "localhost:8080".
func tryText(host string) string {
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	base := "http://" + host
	return fmt.Sprintf(`echoerr groups demo — try these in a browser or with curl -i:
  The site (HTML pages):
    %[1]s/nowhere                  404 page, text from the application's handler for the router's 404
    %[1]s/broken                   500 page; the cause is only in the log
  The API (problem+json, also for routing errors):
    %[1]s/api/nowhere              404: the application's handler, the API's renderer
    %[1]s/api/users/7              404 from the route, with its own text
    curl -i -X DELETE %[1]s/api/users    405 with Allow: OPTIONS, GET, POST
    curl -i -X POST %[1]s/api/users      422 with "field": "name" (a typed error)
  The admin area (its own pages; user admin, password secret):
    %[1]s/admin/                   401 from the auth middleware, admin page, browser asks to log in
    curl -i -u admin:secret %[1]s/admin/nowhere   404, admin page
    curl -i -u admin:secret %[1]s/admin/reports   500, admin page, reported
  Restart with -debug to see error chains and stacks in the responses.
`, base)
}
