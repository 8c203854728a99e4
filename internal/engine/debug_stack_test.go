package engine

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recoverWithoutText recovers the panic of panicsHere as Echo v4's Recover
// with DisablePrintStack hands it to RecoverStack: with a nil stack.
func recoverWithoutText() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = WithStack(errors.New("boom"), nil)
		}
	}()
	panicsHere()
	return nil
}

//go:noinline
func panicsHere() { panic("boom") }

// tracedOnly is an error that carries program counters only, as a
// github.com/pkg/errors-style error does.
type tracedOnly struct{ pcs []uintptr }

func (e *tracedOnly) Error() string         { return "traced" }
func (e *tracedOnly) StackTrace() []uintptr { return e.pcs }

//go:noinline
func tracedHere() error {
	pcs := make([]uintptr, 16)
	return &tracedOnly{pcs: pcs[:runtime.Callers(1, pcs)]}
}

func TestPanicFramesStartAtThePanickingFunction(t *testing.T) {
	err := recoverWithoutText()
	var s *stackError
	require.True(t, errors.As(err, &s))
	require.NotEmpty(t, s.pcs)
	first, _ := runtime.CallersFrames(s.pcs).Next()
	assert.Equal(t, "github.com/echoerr/echoerr/internal/engine.panicsHere", first.Function)
}

func TestStackOfWithoutStackTextShowsThePanicsFrames(t *testing.T) {
	err := recoverWithoutText()
	st := StackOf(nilFace{}, err)
	require.NotEmpty(t, st, "the program counters stand in for the missing text")
	assert.True(t, strings.HasPrefix(st, "github.com/echoerr/echoerr/internal/engine.panicsHere(...)\n\t"), "innermost first: %q", st)
	assert.Contains(t, st, "debug_stack_test.go:")
	frames := parseStack(st)
	require.NotEmpty(t, frames, "the debug page reads it")
	assert.Equal(t, "github.com/echoerr/echoerr/internal/engine.panicsHere", frames[0].Function)

	// Still a panic: logged as one, its wrapper left out of the text.
	assert.Equal(t, "panic: boom", errorText(nilFace{}, err))
}

func TestStackOfProgramCountersAreFunctionNamesNotNumbers(t *testing.T) {
	st := StackOf(nilFace{}, tracedHere())
	assert.True(t, strings.HasPrefix(st, "github.com/echoerr/echoerr/internal/engine.tracedHere(...)\n\t"), "%q", st)
	assert.NotContains(t, st, "[", "not a printed slice of numbers")
}
