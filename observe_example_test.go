package echoerr_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// Redact hides the values of the request's secret headers (Authorization,
// Cookie, Set-Cookie, Proxy-Authorization) in text that leaves the
// process, such as an error tracker's event; the rest of the text is kept.
func ExampleRedact() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			fmt.Println("report:", echoerr.Redact(c, fe.Err.Error()))
		}),
	)
	e.GET("/sync", func(c echo.Context) error {
		return fmt.Errorf("upstream rejected %q", c.Request().Header.Get("Authorization"))
	})

	req := httptest.NewRequest(http.MethodGet, "/sync", nil)
	req.Header.Set("Authorization", "Bearer s3cr3t-token")
	e.ServeHTTP(httptest.NewRecorder(), req)
	// Output:
	// report: upstream rejected "[redacted]"
}

// StackOf returns the stack an error carries, the failing goroutine's only,
// for a reporter: here a panic's, kept by RecoverStack although Echo's
// Recover dumps every goroutine by default.
func ExampleStackOf() {
	e := echo.New()
	e.Use(echoerr.Recover())
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			stack := echoerr.StackOf(fe.Err)
			fmt.Println("goroutines:", strings.Count(stack, "[running]:"))
			fmt.Println("names the route:", strings.Contains(stack, "echoerr_test.chargeCard"))
		}),
	)
	e.POST("/pay", chargeCard)

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/pay", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	fmt.Println(echoerr.StackOf(fmt.Errorf("no stack here")) == "")
	// Output:
	// goroutines: 1
	// names the route: true
	// 500
	// {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
	// true
}

// chargeCard panics, as a route with a bug does.
func chargeCard(echo.Context) error {
	panic("card limits not loaded")
}
