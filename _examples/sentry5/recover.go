package main

import (
	"bytes"
	"fmt"
	"net/http"
	"runtime"

	"github.com/labstack/echo/v5"
)

// This file is the glue between Echo v5 and Sentry's stack traces. Echo
// v5's middleware.Recover returns a *middleware.PanicStackError whose stack
// is text, which Sentry cannot symbolize: Sentry wants program counters,
// which it reads from a StackTrace() method (the github.com/pkg/errors
// convention). recoverWithStack replaces middleware.Recover and records
// them; tracedError carries them, and their text for echoerr's log.

// recoverWithStack is middleware that turns a panic in the rest of the
// chain into a *tracedError, as middleware.Recover turns it into a
// *middleware.PanicStackError. Its deferred function runs on the panicking
// goroutine before the stack unwinds, so the frames from the panic's site
// down are still there: they are recorded from the frame that panicked on.
// http.ErrAbortHandler is panicked again, as Echo's Recover does.
func recoverWithStack(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			cause, ok := r.(error)
			if !ok {
				cause = fmt.Errorf("%v", r)
			}
			err = &tracedError{err: cause, pcs: panicFrames(), panicked: true}
		}()
		return next(c)
	}
}

// panicFrames returns the program counters of the panicking goroutine from
// the frame that called panic (or faulted) on, for a deferred function's
// callee during the panic.
func panicFrames() []uintptr {
	pcs := make([]uintptr, 64)
	pcs = pcs[:runtime.Callers(1, pcs)]
	for i, pc := range pcs {
		if fn := runtime.FuncForPC(pc - 1); fn != nil && fn.Name() == "runtime.gopanic" {
			return pcs[i+1:]
		}
	}
	return pcs
}

// withStack records the caller's stack with err, for errors whose origin
// Sentry should show.
func withStack(err error) error {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	return &tracedError{err: err, pcs: pcs[:n]}
}

// tracedError is an error with the program counters of where it happened.
// Sentry reads them through StackTrace, echoerr's log and debug page through
// Stack (which echoerr looks for before StackTrace).
type tracedError struct {
	err      error
	pcs      []uintptr
	panicked bool // recovered from a panic
}

func (e *tracedError) Error() string {
	if e.panicked {
		return "panic: " + e.err.Error()
	}
	return e.err.Error()
}

func (e *tracedError) Unwrap() error         { return e.err }
func (e *tracedError) StackTrace() []uintptr { return e.pcs }

// Stack formats the frames as runtime/debug.Stack does, without arguments.
func (e *tracedError) Stack() []byte {
	var b bytes.Buffer
	frames := runtime.CallersFrames(e.pcs)
	for {
		f, more := frames.Next()
		fmt.Fprintf(&b, "%s\n\t%s:%d\n", f.Function, f.File, f.Line)
		if !more {
			return b.Bytes()
		}
	}
}
