package echoerr

import (
	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/internal/engine"
)

// Redact returns s with the values of the request's secret headers
// (Authorization, Cookie, Set-Cookie, Proxy-Authorization: whole values,
// tokens, decoded Basic credentials, cookie values) replaced by
// "[redacted]", as echoerr's debug output redacts them, without defacing
// ordinary text. Reporters and log handlers that send an error's text out
// of the process use it:
//
//	echoerr.WithReporter(func(c echo.Context, e *echoerr.Error) {
//		tracker.Capture(echoerr.Redact(c, e.Error()))
//	})
func Redact(c echo.Context, s string) string {
	return engine.Redact(engine.Ctx{Face: face{}, C: c}, s)
}

// StackOf returns the stack trace carried by err's chain, as echoerr logs
// it: a panic recovered with RecoverStack (the panicking goroutine only), or
// an error with a Stack or StackTrace method (github.com/pkg/errors). It
// returns "" when the chain carries none.
func StackOf(err error) string { return engine.StackOf(face{}, err) }
