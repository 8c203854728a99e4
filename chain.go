package echoerr

import (
	"errors"
	"reflect"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/internal/engine"
)

// Pass is returned by a handler to decline an error: the next handler down
// the precedence ladder is tried, as if this one had not matched. Like
// filepath.SkipDir, it is a signal rather than a failure, hence its name.
//
//lint:ignore ST1012 Pass is a signal, named like filepath.SkipDir; the name is part of the API.
var Pass = errors.New("echoerr: pass")

// declined gives the engine a handler's result, with Pass as the engine's
// own signal.
func declined(err error) error {
	if err == Pass {
		return engine.Pass
	}
	return err
}

// OnCode registers h for errors whose status is exactly code (rung 2).
func OnCode(code int, h HandlerFunc) Option { return Option{engine.OnCode(code, adapt(h))} }

// OnRange registers h for errors whose status is in lo..hi inclusive
// (rung 3). When ranges overlap, the narrowest wins; equal widths go by
// registration order.
func OnRange(lo, hi int, h HandlerFunc) Option { return Option{engine.OnRange(lo, hi, adapt(h))} }

// OnError registers h for errors whose chain holds a link equal to target,
// as errors.Is decides (rung 1). target must be comparable; sentinels made
// with errors.New are.
func OnError(target error, h HandlerFunc) Option { return Option{engine.OnError(target, adapt(h))} }

// OnType registers h for errors whose chain holds a link of type T, as
// errors.As decides (rung 1); h receives that link. An exact concrete type
// is tried before interface types at the same link. Returning the link it
// was given renders the route's whole error the default way.
//
// *echo.HTTPError and *Error are status carriers rather than types:
// OnType[*echo.HTTPError] registers on rung 4, like OnHTTPError, and runs
// when the chain holds one.
func OnType[T error](h func(c echo.Context, err T) error) Option {
	if h == nil {
		return Option{engine.OnType[T](nil, false)}
	}
	return Option{engine.OnType(func(c any, err T) error { return declined(h(c.(echo.Context), err)) }, isCarrierType(reflect.TypeFor[T]()))}
}

// OnHTTPError registers h for errors whose chain holds a status carrier: an
// *echo.HTTPError, an *Error, or an error with a StatusCode() int method
// (rung 4, Flask's HTTPException handler). Statuses echoerr derives itself
// (500 for unknown errors, 499, 503) do not count.
func OnHTTPError(h HandlerFunc) Option { return Option{engine.OnHTTPError(adapt(h))} }

// OnAny registers h for every error (rung 5, Flask's Exception handler).
func OnAny(h HandlerFunc) Option { return Option{engine.OnAny(adapt(h))} }
