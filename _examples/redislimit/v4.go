package main

import (
	"fmt"
	"log/slog"

	echoerr "github.com/echoerr/echoerr"
	"github.com/labstack/echo/v4"
)

// newServerV4 is newServer on Echo v4 (go run . -v4). RedisLimiter is an
// httperr.Limiter, which both faces take: a fleet may mix them, and shares
// the limits as long as the fingerprints agree (same routes and errors).
func newServerV4(logger *slog.Logger, report func(code int, route, fingerprint string), storms *echoerr.StormControl) *echo.Echo {
	e := echo.New()
	h := echoerr.New(
		echoerr.WithLogger(logger),
		echoerr.WithReporter(func(c echo.Context, e *echoerr.Error) { report(e.Code, c.Path(), e.Fingerprint) }),
		echoerr.WithStormControl(storms),
	)
	e.HTTPErrorHandler = h
	e.Use(echoerr.Middleware(h))
	e.Use(echoerr.Recover())
	e.GET("/orders/:id", func(c echo.Context) error {
		return fmt.Errorf("load order %s: %w", c.Param("id"), errDBDown)
	})
	e.GET("/payments/:id", func(c echo.Context) error {
		return fmt.Errorf("load payment %s: %w", c.Param("id"), errDBDown)
	})
	return e
}
