package facetest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// The suite's own error types. They reach echoerr through the optional
// interfaces the library documents, by method set: StatusCode() int (a
// status carrier, Echo v5's HTTPStatusCoder), Description() string
// (Describer), Extensions() map[string]any (Extender) and Header()
// http.Header (Headerer).

// InvalidAPIUsage is Flask's "Returning API Errors as JSON" example error:
// a status (400 unless Code says otherwise), a public message and a
// payload of extra members.
type InvalidAPIUsage struct {
	Message string
	Code    int
	Payload map[string]any
}

func (e *InvalidAPIUsage) Error() string { return e.Message }

// StatusCode returns Code, or 400.
func (e *InvalidAPIUsage) StatusCode() int {
	if e.Code == 0 {
		return http.StatusBadRequest
	}
	return e.Code
}

// Description returns Message: it is public.
func (e *InvalidAPIUsage) Description() string { return e.Message }

// Extensions returns Payload.
func (e *InvalidAPIUsage) Extensions() map[string]any { return e.Payload }

// ToDict is Flask's to_dict: the payload with "message".
func (e *InvalidAPIUsage) ToDict() map[string]any {
	m := map[string]any{"message": e.Message}
	for k, v := range e.Payload {
		m[k] = v
	}
	return m
}

// ValidationError is a failure without a status of its own.
type ValidationError struct{ Field string }

func (e *ValidationError) Error() string { return "validation: field " + e.Field + " is invalid" }

// Temporary is an interface error type, for OnType with an interface.
type Temporary interface {
	error
	Temporary() bool
}

// TempError implements Temporary.
type TempError struct{ Msg string }

func (e *TempError) Error() string { return e.Msg }

// Temporary reports true.
func (e *TempError) Temporary() bool { return true }

// ListError is a non-comparable error type: comparing two with == panics.
type ListError struct{ Items []string }

func (e ListError) Error() string { return "list: " + strings.Join(e.Items, ",") }

// Wrapper wraps Err under its own type.
type Wrapper struct {
	Msg string
	Err error
}

func (e *Wrapper) Error() string { return e.Msg + ": " + e.Err.Error() }

// Unwrap returns Err.
func (e *Wrapper) Unwrap() error { return e.Err }

// Coded is a status carrier of its own: an error with StatusCode().
type Coded struct {
	Code int
	Msg  string
}

func (e *Coded) Error() string { return e.Msg }

// StatusCode returns Code.
func (e *Coded) StatusCode() int { return e.Code }

// Rich carries everything through the optional interfaces: status, public
// text, extra members and headers. Its Error() text is internal.
type Rich struct {
	Code int
	Desc string
	Ext  map[string]any
	Head http.Header
	Msg  string
}

func (e *Rich) Error() string { return e.Msg }

// StatusCode returns Code.
func (e *Rich) StatusCode() int { return e.Code }

// Description returns Desc.
func (e *Rich) Description() string { return e.Desc }

// Extensions returns Ext.
func (e *Rich) Extensions() map[string]any { return e.Ext }

// Header returns Head.
func (e *Rich) Header() http.Header { return e.Head }

// NilDeref is an error whose methods dereference the receiver: a typed nil
// *NilDeref panics in Error() and StatusCode().
type NilDeref struct{ msg string }

func (e *NilDeref) Error() string { return e.msg }

// StatusCode panics on a nil receiver.
func (e *NilDeref) StatusCode() int { return len(e.msg) + 400 }

// TypedNil returns a nil *NilDeref as a non-nil error.
func TypedNil() error { return (*NilDeref)(nil) }

// Cycle is an error chain that never ends: Unwrap returns the error
// itself, or Next when it is set (which may lead back).
type Cycle struct {
	Msg  string
	Next error
}

func (e *Cycle) Error() string { return e.Msg }

// Unwrap returns Next, or e.
func (e *Cycle) Unwrap() error {
	if e.Next != nil {
		return e.Next
	}
	return e
}

// TwoCycle returns two errors unwrapping to each other.
func TwoCycle() error {
	a, b := &Cycle{Msg: "a"}, &Cycle{Msg: "b"}
	a.Next, b.Next = b, a
	return a
}

// JoinCycle returns an errors.Join-style error that holds itself.
func JoinCycle() error {
	j := &multi{msg: "join cycle"}
	j.errs = []error{errors.New("x"), j}
	return j
}

// SelfJoin returns an errors.Join-style error whose every branch is
// itself.
func SelfJoin() error {
	j := &multi{msg: "self join"}
	j.errs = []error{j, j}
	return j
}

type multi struct {
	msg  string
	errs []error
}

func (m *multi) Error() string   { return m.msg }
func (m *multi) Unwrap() []error { return m.errs }

// Deep returns base wrapped in n links, each with a short message of its
// own (fmt.Errorf would copy the whole text below into every link).
func Deep(n int, base error) error {
	err := base
	for i := 0; i < n; i++ {
		err = &chainLink{next: err}
	}
	return err
}

type chainLink struct{ next error }

func (l *chainLink) Error() string { return "link" }
func (l *chainLink) Unwrap() error { return l.next }

// Wide returns errors.Join of n distinct errors and then last.
func Wide(n int, last error) error {
	errs := make([]error, 0, n+1)
	for i := 0; i < n; i++ {
		errs = append(errs, fmt.Errorf("branch %d", i))
	}
	return errors.Join(append(errs, last)...)
}

// panicky is an error whose Error() panics.
type panicky struct{}

func (panicky) Error() string { panic("facetest: Error() panicked") }

// ErrSentinel is a sentinel for OnError.
var ErrSentinel = errors.New("facetest: sentinel")

// ErrTemp is a *TempError value: OnError(ErrTemp), OnType[*TempError] and
// OnType[Temporary] all match it at the same link.
var ErrTemp error = &TempError{Msg: "temporarily unavailable"}

// Described has public text but no status of its own.
type Described struct{ Desc, Msg string }

func (e *Described) Error() string { return e.Msg }

// Description returns Desc.
func (e *Described) Description() string { return e.Desc }

// Holder is a comparable error type (a struct of one interface field) that
// may hold an unhashable value: comparing two Holders with == panics when
// both hold slices or maps of the same type. As an OnError target it makes
// the ladder compare it with every link of the chain.
type Holder struct{ V any }

func (h Holder) Error() string { return fmt.Sprintf("holder %v", h.V) }

// HolderTarget is the Holder the generator registers with OnError.
var HolderTarget error = Holder{V: "target"}

// HolderSliceTarget is a Holder target that holds a slice itself.
var HolderSliceTarget error = Holder{V: []string{"target"}}

// Hostile is an error whose optional methods misbehave: StatusCode and
// Description panic, Extensions returns members no encoder can write and
// names that shadow the canonical ones, Header returns framing headers in
// odd letter case. Its Error() text is internal (Msg).
type Hostile struct{ Msg string }

func (h *Hostile) Error() string { return h.Msg }

// StatusCode panics.
func (h *Hostile) StatusCode() int { panic("facetest: StatusCode() panicked") }

// Description panics.
func (h *Hostile) Description() string { panic("facetest: Description() panicked") }

// Extensions returns values JSON cannot encode and shadowing names.
func (h *Hostile) Extensions() map[string]any {
	return map[string]any{"fn": func() {}, "ch": make(chan int), "CODE": "shadow", "Detail": "shadow", "nested": map[string]any{"f": func() {}}}
}

// Header returns framing headers in odd letter case.
func (h *Hostile) Header() http.Header {
	return http.Header{"content-length": {"7"}, "TRANSFER-ENCODING": {"chunked"}, "Content-encoding": {"br"}}
}

// Unhashable is a comparable error type whose field may hold a value that
// is neither comparable nor hashable (a slice, a map, a func): == and map
// lookups of it panic at run time.
type Unhashable struct{ V any }

func (u Unhashable) Error() string { return fmt.Sprintf("unhashable %v", u.V) }
