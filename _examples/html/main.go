// Command html is a demo of echoerr's HTML error pages: its own templates
// (templates/404.html and templates/layout.html) replace the built-in 404
// page and layout, the built-in pages serve every other status in that
// layout, /api answers problem+json, and /builtin shows the built-in pages
// as they ship. It is a module of its own (see go.mod); from the
// repository's root:
//
//	go run ./_examples/html                    # http://127.0.0.1:8080
//	go run ./_examples/html -addr :9000        # another address
//	go run ./_examples/html -debug             # debug pages: error chain, stack, request
//
// In debug mode the demo's own pages get the debug section too, though
// their layout says nothing of it: the HTML renderer adds it.
//
// It prints the URLs to try, and its home page links them. Outside /api and
// /builtin, browsers get the pages and curl gets JSON.
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"log"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/echoerr/echoerr"
)

//go:embed templates/*.html
var templateFiles embed.FS

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	debug := flag.Bool("debug", false, "debug mode: pages show the error chain, stack and request")
	flag.Parse()

	e := newServer(*debug)
	fmt.Print(tryText(*addr, *debug))
	log.Fatal(e.Start(*addr))
}

// demoCase is one URL the demo prints and links, with the status it
// promises; main_test.go holds each to what the wire says.
type demoCase struct {
	Path   string // the URL's path, requested with GET
	Status int    // the status it answers with
	Note   string // what it shows
}

// demoCases are the demo's URLs, in the order they are printed.
var demoCases = []demoCase{
	{"/nope", http.StatusNotFound, "the demo's own 404 page"},
	{"/boom", http.StatusInternalServerError, "the built-in 5xx page in the demo's layout"},
	{"/panic", http.StatusInternalServerError, "a recovered panic (run with -debug to see its stack)"},
	{"/teapot", http.StatusTeapot, "the built-in error.html in the demo's layout"},
	{"/users/7", http.StatusNotFound, "a 404 with its own description"},
	{"/checkout", http.StatusUnprocessableEntity, "a 422 with extensions (the built-in pages list them)"},
	{"/api/users/7", http.StatusNotFound, "problem+json"},
	{"/api/boom", http.StatusInternalServerError, "problem+json for a server error"},
	{"/builtin/nope", http.StatusNotFound, "the built-in 404 page"},
	{"/builtin/boom", http.StatusInternalServerError, "the built-in 5xx page"},
	{"/builtin/checkout", http.StatusUnprocessableEntity, "the built-in page listing a 422's extensions"},
}

// facts is what c promises: its status, and what it shows.
func (c demoCase) facts() string {
	return fmt.Sprintf("%d %s — %s", c.Status, http.StatusText(c.Status), c.Note)
}

// baseURL is the demo's URL for a listen address or Host header such as
// ":8080" or "127.0.0.1:8080".
func baseURL(host string) string {
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	return "http://" + host
}

// tryText lists the demo's URLs for a host such as "127.0.0.1:8080".
func tryText(host string, debug bool) string {
	base := baseURL(host)
	var b strings.Builder
	fmt.Fprintf(&b, "echoerr HTML demo on %s/ (debug %v); try:\n", base, debug)
	for _, c := range demoCases {
		fmt.Fprintf(&b, "  %-36s %s\n", base+c.Path, c.facts())
	}
	return b.String()
}

func newServer(debug bool) *echo.Echo {
	pages, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		panic(err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Debug = debug
	e.Use(middleware.RequestID())
	e.Use(echoerr.Recover())
	e.HTTPErrorHandler = echoerr.New(
		// Browsers get the pages; curl and API clients get JSON.
		echoerr.WithRenderer(echoerr.Negotiate(
			echoerr.JSON(),
			echoerr.HTML(echoerr.TemplateFS(pages)),
		)),
		echoerr.Group("/api", echoerr.WithRenderer(echoerr.Problem())),
		echoerr.Group("/builtin", echoerr.WithRenderer(echoerr.HTML())),
	)

	e.GET("/", index)
	for _, prefix := range []string{"", "/api", "/builtin"} {
		e.GET(prefix+"/boom", boom)
		e.GET(prefix+"/panic", panicky)
		e.GET(prefix+"/teapot", teapot)
		e.GET(prefix+"/users/:id", user)
		e.GET(prefix+"/checkout", checkout)
	}
	return e
}

// index is the home page: a link to each of the demo's URLs.
func index(c echo.Context) error {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>echoerr demo</title>` + "\n" + `<h1>echoerr HTML demo</h1><ul>`)
	for _, d := range demoCases {
		fmt.Fprintf(&b, "\n<li><a href=\"%s\">%s</a>: %s", html.EscapeString(d.Path), html.EscapeString(d.Path),
			html.EscapeString(d.facts()))
	}
	b.WriteString("\n</ul>\n")
	return c.HTML(http.StatusOK, b.String())
}

func boom(echo.Context) error {
	return fmt.Errorf("load dashboard: %w", errors.New("connection refused"))
}

func panicky(echo.Context) error {
	panic("inventory: order book not loaded")
}

func teapot(echo.Context) error {
	return echo.NewHTTPError(http.StatusTeapot)
}

func checkout(echo.Context) error {
	return &echoerr.Error{
		Code:        http.StatusUnprocessableEntity,
		Description: "The order cannot be placed: one item is over its limit.",
		Extensions:  map[string]any{"field": "quantity", "max": 10, "items": []string{"sku-1042"}},
	}
}

func user(c echo.Context) error {
	return echoerr.NotFound(fmt.Sprintf("There is no user with id %s.", c.Param("id")))
}
