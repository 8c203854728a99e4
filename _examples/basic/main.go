// Command basic is a demo server for echoerr. It needs no setup:
//
//	go run ./_examples/basic              # listens on :8080
//	go run ./_examples/basic -addr :9000  # or PORT=9000
//
// It prints the URLs to try. Browsers get HTML pages, curl gets JSON.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/echoerr/echoerr"
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
	e := echo.New()
	e.HideBanner = true
	e.Debug = debug
	e.Use(middleware.RequestID())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: echoerr.RecoverStack}))

	e.HTTPErrorHandler = echoerr.New(
		// Flask's errorhandler(InvalidAPIUsage): the type names exactly what
		// failed, so it comes before any status handler.
		echoerr.OnType(func(c echo.Context, err *InvalidAPIUsage) error {
			return nil // nothing to add: render it with its payload
		}),
		// Flask's errorhandler(404): adjust the public text.
		echoerr.OnCode(http.StatusNotFound, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "There is nothing at " + c.Request().URL.Path + ". Try /."
			return fe
		}),
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			slog.Warn("would report to the error tracker", "status", fe.Code, "error", fe.Err)
		}),
	)

	e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, tryText(c.Request().Host)) })
	e.POST("/items", func(c echo.Context) error { return c.NoContent(http.StatusCreated) })
	e.GET("/bad-request", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusBadRequest, "The parameter 'limit' must be a number.")
	})
	e.GET("/custom", func(c echo.Context) error {
		return &InvalidAPIUsage{Message: "No user id provided!", Code: http.StatusBadRequest,
			Payload: map[string]any{"field": "user_id"}}
	})
	e.GET("/wrapped", func(c echo.Context) error {
		return fmt.Errorf("create user: %w", echo.NewHTTPError(http.StatusConflict, "That user name is taken."))
	})
	e.GET("/unexpected", func(c echo.Context) error {
		return fmt.Errorf("load orders: %w", errDatabaseDown)
	})
	e.GET("/panic", func(c echo.Context) error {
		panic("order 7 has no customer: this cannot happen")
	})
	return e
}

// tryText lists the demo's URLs for a host such as "localhost:8080".
func tryText(host string) string {
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	base := "http://" + host
	return fmt.Sprintf(`echoerr demo — open these in a browser (HTML) or with curl (JSON):
  %[1]s/nowhere        unknown route: 404
  curl -i %[1]s/items  wrong method: 405 with Allow: POST
  %[1]s/bad-request    400 with a public description
  %[1]s/custom         custom typed error with a payload (400)
  %[1]s/wrapped        %%w-wrapped *echo.HTTPError keeps its 409
  %[1]s/unexpected     unknown error: generic 500, details only in the log
  %[1]s/panic          panic recovered by middleware.Recover: 500
  Restart with -debug to see error chains and stacks in the responses.
`, base)
}
