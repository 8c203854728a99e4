package main

import (
	"bytes"
	"fmt"
	"runtime"
)

// withStack records the caller's stack with err, for an error that is not
// a panic but whose origin Sentry should show. (A panic's frames come from
// echoerr.Recover.)
func withStack(err error) error {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	return &tracedError{err: err, pcs: pcs[:n]}
}

// tracedError is an error with the program counters of where it was made.
// Sentry reads them through StackTrace (the convention of
// github.com/pkg/errors, which sentry-go looks for); echoerr's log and
// debug page read Stack, since echoerr.StackOf prints the result of a
// StackTrace() []uintptr method as numbers.
type tracedError struct {
	err error
	pcs []uintptr
}

func (e *tracedError) Error() string         { return e.err.Error() }
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
