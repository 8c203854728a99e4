package echoerr

import "github.com/labstack/echo/v4"

// Middleware returns middleware that hands a route's error to h inside the
// middleware chain, instead of after it, and returns nil: middleware
// registered before it (tracing, metrics, error trackers, access logs) then
// sees the response's final status rather than an error it would have to
// interpret itself. Keep e.HTTPErrorHandler = h as well, for errors raised
// outside the chain (Pre middleware).
//
//	h := echoerr.New(opts...)
//	e.HTTPErrorHandler = h
//	e.Use(tracing)                              // sees the status the client got
//	e.Use(echoerr.Middleware(h))
//	e.Use(middleware.Recover())                 // inside: a panic becomes an error h handles
func Middleware(h echo.HTTPErrorHandler) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			handleInChain(h, next, c)
			return nil
		}
	}
}
