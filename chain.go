package echoerr

import (
	"errors"
	"reflect"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/internal/engine"
)

// Pass is returned by a handler to decline an error: the next handler in
// precedence order (see the package documentation) is tried, as if this one
// had not matched. Like
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

// OnCode registers h for errors whose status is exactly code. It comes
// after OnError and OnType, before OnRange.
func OnCode(code int, h HandlerFunc) Option { return Option{engine.OnCode(code, adapt(h))} }

// OnRange registers h for errors whose status is in lo..hi inclusive. It
// comes after OnCode, before OnHTTPError. When ranges overlap, the narrowest wins; equal widths go by
// registration order.
func OnRange(lo, hi int, h HandlerFunc) Option { return Option{engine.OnRange(lo, hi, adapt(h))} }

// OnError registers h for errors whose chain holds a link equal to target,
// as errors.Is decides. Like OnType, it comes before every other kind of
// handler. target must be comparable; sentinels made
// with errors.New are.
func OnError(target error, h HandlerFunc) Option { return Option{engine.OnError(target, adapt(h))} }

// OnType registers h for errors whose chain holds a link of type T, as
// errors.As decides; h receives that link. Like OnError, it comes before
// every other kind of handler. An exact concrete type
// is tried before interface types at the same link. Returning the link it
// was given renders the route's whole error the default way.
//
// *echo.HTTPError and *Error stand for "an error that carries a status"
// rather than for a type: OnType[*echo.HTTPError] takes the place of an
// OnHTTPError handler in precedence order, and runs when the chain holds
// one.
func OnType[T error](h func(c echo.Context, err T) error) Option {
	if h == nil {
		return Option{engine.OnType[T](nil, false)}
	}
	return Option{engine.OnType(func(c any, err T) error { return declined(h(c.(echo.Context), err)) }, isCarrierType(reflect.TypeFor[T]()))}
}

// OnHTTPError registers h for errors whose chain holds an error that
// carries a status: an *echo.HTTPError, an *Error, or an error with a
// StatusCode() int method (Flask's HTTPException handler). It comes after
// OnRange, before OnAny. Statuses echoerr derives itself
// (500 for unknown errors, 499, 503) do not count.
func OnHTTPError(h HandlerFunc) Option { return Option{engine.OnHTTPError(adapt(h))} }

// OnAny registers h for every error (Flask's Exception handler). It comes
// last.
func OnAny(h HandlerFunc) Option { return Option{engine.OnAny(adapt(h))} }
