// Command loadserver serves the routes of the end-to-end load test
// (scripts/loadtest) on loopback, with Echo's default error handler or with
// echoerr:
//
//	loadserver -handler default -addr 127.0.0.1:18080
//	loadserver -handler echoerr -addr 127.0.0.1:18080
//
// Routes, the same for both: GET /ok answers 200; any unknown URL is a
// 404; GET /fail fails with an unknown error, a 500.
//
// echoerr runs with its defaults except for the logger, which discards
// records: Echo's default handler logs nothing, so a logger writing to
// stderr would measure the terminal, not the handler.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

func main() {
	handler := flag.String("handler", "echoerr", "error handler: default (Echo's) or echoerr")
	addr := flag.String("addr", "127.0.0.1:18080", "listen address (keep it on loopback)")
	flag.Parse()

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	switch *handler {
	case "default":
		e.HTTPErrorHandler = e.DefaultHTTPErrorHandler
	case "echoerr":
		e.HTTPErrorHandler = echoerr.New(echoerr.WithLogger(slog.New(slog.DiscardHandler)))
	default:
		log.Fatalf("unknown -handler %q: want default or echoerr", *handler)
	}
	errDB := errors.New("db: connection refused")
	e.GET("/ok", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/fail", func(echo.Context) error { return errDB })
	fmt.Printf("loadserver: %s handler on http://%s\n", *handler, *addr)
	log.Fatal(e.Start(*addr))
}
