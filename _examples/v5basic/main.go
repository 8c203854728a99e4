// Command v5basic is a demo server for echoerr on Echo v5: the cases of
// _examples/basic (the Echo v4 demo), with github.com/echoerr/echoerr/v5.
// It needs no setup; from the repository's root:
//
//	go run ./_examples/v5basic                       # listens on 127.0.0.1:8080
//	go run ./_examples/v5basic -addr 127.0.0.1:9000  # or PORT=9000
//	go run ./_examples/v5basic -debug                # error chains and stacks in the responses
//
// It prints the URLs to try, and its home page links them. Browsers get
// HTML pages, curl gets JSON. Errors are logged through Echo's logger,
// e.Logger: JSON lines on standard output.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/echoerr/echoerr/v5"
)

// InvalidAPIUsage is the custom error of Flask's documentation: a message,
// a status code and a payload for API clients.
type InvalidAPIUsage struct {
	Message string
	Code    int
	Payload map[string]any
}

func (e *InvalidAPIUsage) Error() string              { return e.Message }
func (e *InvalidAPIUsage) StatusCode() int            { return e.Code }
func (e *InvalidAPIUsage) Description() string        { return e.Message }
func (e *InvalidAPIUsage) Extensions() map[string]any { return e.Payload }

var errDatabaseDown = errors.New("dial tcp db.internal:5432: connect: connection refused")

func main() {
	addr := flag.String("addr", defaultAddr(), "listen address (or set PORT)")
	debug := flag.Bool("debug", false, "debug mode: error chains and stacks in responses")
	flag.Parse()

	e := newServer(*debug)
	fmt.Print(tryText(*addr))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sc := echo.StartConfig{Address: *addr, HideBanner: true}
	if err := sc.Start(ctx, e); err != nil && !errors.Is(err, http.ErrServerClosed) {
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
	e := echo.New()
	e.Use(middleware.RequestID())
	e.Use(middleware.Recover()) // its *middleware.PanicStackError: the stack goes to the log

	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithDebug(debug), // Echo v5 has no e.Debug
		// Flask's errorhandler(InvalidAPIUsage): the type names exactly what
		// failed, so it comes before any status handler.
		echoerr.OnType(func(c *echo.Context, err *InvalidAPIUsage) error {
			return nil // nothing to add: render it with its payload
		}),
		// Flask's errorhandler(404): adjust the public text.
		echoerr.OnCode(http.StatusNotFound, func(c *echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "There is nothing at " + c.Request().URL.Path + ". Try /."
			return fe
		}),
		echoerr.WithReporter(func(c *echo.Context, fe *echoerr.Error) {
			c.Logger().Warn("would report to the error tracker", "status", fe.Code, "error", fe.Err)
		}),
	)

	e.GET("/", func(c *echo.Context) error { return c.HTML(http.StatusOK, homePage(c.Request().Host)) })
	e.POST("/items", func(c *echo.Context) error { return c.NoContent(http.StatusCreated) })
	e.GET("/bad-request", func(c *echo.Context) error {
		return echo.NewHTTPError(http.StatusBadRequest, "The parameter 'limit' must be a number.")
	})
	e.GET("/custom", func(c *echo.Context) error {
		return &InvalidAPIUsage{Message: "No user id provided!", Code: http.StatusBadRequest,
			Payload: map[string]any{"field": "user_id"}}
	})
	e.GET("/wrapped", func(c *echo.Context) error {
		return fmt.Errorf("create user: %w", echo.NewHTTPError(http.StatusConflict, "That user name is taken."))
	})
	e.GET("/unexpected", func(c *echo.Context) error {
		return fmt.Errorf("load orders: %w", errDatabaseDown)
	})
	e.GET("/panic", func(c *echo.Context) error {
		panic("order 7 has no customer: this cannot happen")
	})
	return e
}

// demoCase is one URL the demo prints and links, with the status and
// headers it promises; main_test.go holds each to what the wire says.
type demoCase struct {
	Path   string      // the URL's path, requested with GET
	Status int         // the status it answers with
	Header [][2]string // headers it promises, as printed
	Note   string      // what it shows
}

// demoCases are the demo's URLs, in the order they are printed.
var demoCases = []demoCase{
	{Path: "/nowhere", Status: http.StatusNotFound, Note: "unknown route, text from the OnCode(404) handler"},
	{Path: "/items", Status: http.StatusMethodNotAllowed, Header: [][2]string{{"Allow", "OPTIONS, POST"}},
		Note: "wrong method (the route is POST only)"},
	{Path: "/bad-request", Status: http.StatusBadRequest, Note: "an *echo.HTTPError's message is its public description"},
	{Path: "/custom", Status: http.StatusBadRequest, Note: `custom typed error with a payload ("field": "user_id")`},
	{Path: "/wrapped", Status: http.StatusConflict, Note: "%w-wrapped *echo.HTTPError keeps its status"},
	{Path: "/unexpected", Status: http.StatusInternalServerError, Note: "unknown error: generic 500, the cause only in the log"},
	{Path: "/panic", Status: http.StatusInternalServerError, Note: "panic recovered by middleware.Recover, stack in the log"},
}

// facts is what c promises: the status and its headers.
func (c demoCase) facts() string {
	s := fmt.Sprintf("%d %s", c.Status, http.StatusText(c.Status))
	for _, h := range c.Header {
		s += ", " + h[0] + ": " + h[1]
	}
	return s
}

// baseURL is the demo's URL for a listen address or Host header such as
// ":8080" or "localhost:8080".
func baseURL(host string) string {
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	return "http://" + host
}

// tryText lists the demo's URLs for a host such as "localhost:8080".
func tryText(host string) string {
	base := baseURL(host)
	var b strings.Builder
	fmt.Fprintf(&b, "echoerr demo (Echo v5): open %s/ in a browser (HTML pages), or try with curl -i (JSON):\n", base)
	for _, c := range demoCases {
		fmt.Fprintf(&b, "  %-36s %s — %s\n", base+c.Path, c.facts(), c.Note)
	}
	b.WriteString("  Restart with -debug to see error chains and stacks in the responses.\n")
	return b.String()
}

// homePage is the demo's home page: a link to each of its URLs.
func homePage(host string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>echoerr demo (Echo v5)</title><h1>echoerr demo (Echo v5)</h1>` +
		`<p>Each link fails in its own way. Browsers get HTML pages, curl gets JSON.</p><ul>`)
	for _, c := range demoCases {
		fmt.Fprintf(&b, "\n<li><a href=\"%s\">%s</a>: %s — %s",
			html.EscapeString(c.Path), html.EscapeString(baseURL(host)+c.Path),
			html.EscapeString(c.facts()), html.EscapeString(c.Note))
	}
	b.WriteString("\n</ul><p>Restart with <code>-debug</code> to see error chains and stacks in the responses.</p>\n")
	return b.String()
}
