// Command html is a demo of echoerr's HTML error pages: its own templates
// (templates/404.html and templates/layout.html) replace the built-in 404
// page and layout, the built-in pages serve every other status in that
// layout, /api answers problem+json, and /builtin shows the built-in pages
// as they ship.
//
//	go run ./_examples/html            # http://127.0.0.1:8080
//	go run ./_examples/html -debug     # debug pages: error chain, stack, request
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"

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
	fmt.Printf("echoerr HTML demo on http://%s (debug %v); try:\n", *addr, *debug)
	for _, p := range []string{"/", "/nope", "/boom", "/panic", "/teapot", "/users/7", "/checkout",
		"/api/users/7", "/api/boom", "/builtin/nope", "/builtin/boom", "/builtin/checkout"} {
		fmt.Printf("  http://%s%s\n", *addr, p)
	}
	log.Fatal(e.Start(*addr))
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
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: echoerr.RecoverStack}))
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

func index(c echo.Context) error {
	return c.HTML(http.StatusOK, `<!DOCTYPE html><html lang="en"><title>echoerr demo</title>
<h1>echoerr HTML demo</h1><ul>
<li><a href="/nope">/nope</a>: the demo's own 404 page
<li><a href="/boom">/boom</a>: built-in 5xx page in the demo's layout
<li><a href="/panic">/panic</a>: a recovered panic (run with -debug to see its stack)
<li><a href="/teapot">/teapot</a>: 418, built-in error.html in the demo's layout
<li><a href="/users/7">/users/7</a>: a 404 with its own description
<li><a href="/checkout">/checkout</a>: a 422 with extensions (the built-in pages list them)
<li><a href="/api/users/7">/api/users/7</a>: problem+json
<li><a href="/builtin/nope">/builtin/nope</a>, <a href="/builtin/boom">/builtin/boom</a>: the built-in pages
</ul>`)
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
