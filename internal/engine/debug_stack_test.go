package engine

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recoverHere recovers the panic of panicsHere as the faces' Recover does.
func recoverHere() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Recovered(p)
		}
	}()
	panicsHere()
	return nil
}

//go:noinline
func panicsHere() { panic("boom") }

// requestFace is a face whose every context has the request r.
type requestFace struct {
	nilFace
	r *http.Request
}

func (f requestFace) Request(any) *http.Request { return f.r }

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
	err := recoverHere()
	var s *stackError
	require.True(t, errors.As(err, &s))
	require.NotEmpty(t, s.pcs)
	first, _ := runtime.CallersFrames(s.pcs).Next()
	assert.Equal(t, "github.com/echoerr/echoerr/internal/engine.panicsHere", first.Function)
}

func TestRecoveredStackTextStartsAtThePanickingFunction(t *testing.T) {
	err := recoverHere()
	st := StackOf(nilFace{}, err)
	require.NotEmpty(t, st)
	assert.Regexp(t, `^goroutine \d+ \[running\]:\ngithub\.com/echoerr/echoerr/internal/engine\.panicsHere\(\.\.\.\)\n\t`, st, "innermost first")
	assert.Contains(t, st, "debug_stack_test.go:")
	face := requestFace{r: httptest.NewRequest(http.MethodGet, "/", nil)}
	d := newDebugInfo(&exchange{h: &Handler{face: face, root: &scope{}}, face: face, fe: Error{Err: err}, secretsRead: true})
	require.NotEmpty(t, d.Frames, "the debug page reads it")
	assert.Equal(t, "github.com/echoerr/echoerr/internal/engine.panicsHere", d.Frames[0].Function)

	// Still a panic: logged as one, its wrapper left out of the text.
	assert.Equal(t, "panic: boom", errorText(nilFace{}, err))
}

func TestStackOfProgramCountersAreFunctionNamesNotNumbers(t *testing.T) {
	st := StackOf(nilFace{}, tracedHere())
	assert.True(t, strings.HasPrefix(st, "github.com/echoerr/echoerr/internal/engine.tracedHere(...)\n\t"), "%q", st)
	assert.NotContains(t, st, "[", "not a printed slice of numbers")
}
