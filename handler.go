package echoerr

import (
	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/internal/engine"
)

// New returns an echo.HTTPErrorHandler configured by opts:
//
//	e.HTTPErrorHandler = echoerr.New(opts...)
//
// Bad registrations (a status outside 200–999, a nil handler or target, an
// empty range, a malformed or duplicate scope) panic here, naming the option
// and where it was registered. The returned handler is immutable and safe
// for concurrent use.
func New(opts ...Option) echo.HTTPErrorHandler {
	return errorHandler(engine.New(face{}, engineOptions(opts)...))
}

// HandlerFunc handles an error. It receives the error exactly as the route
// returned it; FromError(err) gives the canonical view. It returns nil when
// it handled the error, Pass to decline, or an error to be rendered instead.
type HandlerFunc func(c echo.Context, err error) error

// adapt gives the engine h, keeping nil nil so that New can refuse it.
func adapt(h HandlerFunc) engine.HandlerFunc {
	if h == nil {
		return nil
	}
	return func(c any, err error) error { return declined(h(c.(echo.Context), err)) }
}
