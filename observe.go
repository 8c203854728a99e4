package echoerr

import (
	"net/http"

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
// it: a panic's recovered by Recover (the panicking goroutine only; the
// package documentation says what Echo's own Recover keeps), or an error's
// with a Stack or StackTrace method (github.com/pkg/errors). It returns ""
// when the chain carries none.
func StackOf(err error) string { return engine.StackOf(face{}, err) }

// Recover returns middleware that recovers a panic in the rest of the chain
// and returns it as an error, as Echo's middleware.Recover does, with the
// stack of the panicking goroutine only: as text, for echoerr's log and
// debug page, and as program counters through a StackTrace() []uintptr
// method, which error trackers (Sentry's SDK) read to show frames. A panic
// with http.ErrAbortHandler is panicked again, for net/http.
//
//	e.Use(echoerr.Middleware(h))
//	e.Use(echoerr.Recover())
func Recover() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					err = engine.Recovered(p)
				}
			}()
			return next(c)
		}
	}
}
