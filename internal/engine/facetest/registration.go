package facetest

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// location is the file:line a refusal names: the code that registered the
// option, here the face's driver (a _test.go file), never echoerr's own.
var location = regexp.MustCompile(`\(at \w+_test\.go:\d+\)`)

// registration: registering happens once, in New. A registration that can
// never take effect fails loudly there, saying what and where; a good one
// does not.
func (s *suite) registration(t *testing.T) {
	h := func(Ctx, error) error { return nil }
	const outside = "outside 200–999"
	for _, tc := range []struct {
		name string
		opt  func() Option
		says string // what the message names
		why  string // and what it says is wrong, when checked
	}{
		{"OnCode(0)", func() Option { return s.f.OnCode(0, h) }, "OnCode(0)", outside},
		{"OnCode(99)", func() Option { return s.f.OnCode(99, h) }, "OnCode(99)", outside},
		{"OnCode(100), informational", func() Option { return s.f.OnCode(100, h) }, "OnCode(100)", outside},
		{"OnCode(103), informational", func() Option { return s.f.OnCode(103, h) }, "OnCode(103)", outside},
		{"OnCode(199), informational", func() Option { return s.f.OnCode(199, h) }, "OnCode(199)", outside},
		{"OnCode(1000)", func() Option { return s.f.OnCode(1000, h) }, "OnCode(1000)", outside},
		{"OnRange(100, 199), informational", func() Option { return s.f.OnRange(100, 199, h) }, "OnRange(100, 199)", outside},
		{"OnRange(150, 404), informational at its low end", func() Option { return s.f.OnRange(150, 404, h) }, "OnRange(150, 404)", outside},
		{"OnRange(200, 1000)", func() Option { return s.f.OnRange(200, 1000, h) }, "OnRange(200, 1000)", outside},
		{"OnRange(0, 404)", func() Option { return s.f.OnRange(0, 404, h) }, "OnRange(0, 404)", outside},
		{"OnRange(500, 400), empty", func() Option { return s.f.OnRange(500, 400, h) }, "OnRange(500, 400)", ""},
		{"OnCode with a nil handler", func() Option { return s.f.OnCode(404, nil) }, "OnCode", ""},
		{"OnRange with a nil handler", func() Option { return s.f.OnRange(400, 499, nil) }, "OnRange", ""},
		{"OnError with a nil target", func() Option { return s.f.OnError(nil, h) }, "OnError", ""},
		{"OnError with a nil handler", func() Option { return s.f.OnError(ErrSentinel, nil) }, "OnError", ""},
		{"OnError with a non-comparable target", func() Option { return s.f.OnError(ListError{}, h) }, "OnError", ""},
		{"OnType with a nil handler", func() Option { return s.f.OnType(TypeValidation, nil) }, "OnType", ""},
		{"OnHTTPError with a nil handler", func() Option { return s.f.OnHTTPError(nil) }, "OnHTTPError", ""},
		{"OnAny with a nil handler", func() Option { return s.f.OnAny(nil) }, "OnAny", ""},
		{"a bad registration inside a Group", func() Option { return s.f.Group("/api", s.f.OnCode(42, h)) }, "OnCode(42)", outside},
	} {
		t.Run("refused at New: "+tc.name, func(t *testing.T) {
			var p any
			func() {
				defer func() { p = recover() }()
				s.f.New(tc.opt())
			}()
			if !assert.NotNil(t, p, "New must refuse it") {
				return
			}
			msg := fmt.Sprint(p)
			assert.Contains(t, msg, tc.says, "the message says what")
			assert.Contains(t, msg, tc.why, "and what is wrong with it")
			assert.Regexp(t, location, msg, "the message says where: the registering caller's file, not echoerr's")
		})
	}
	t.Run("accepted: the edges of 200–999", func(t *testing.T) {
		assert.NotPanics(t, func() {
			s.f.New(s.f.OnCode(200, h), s.f.OnCode(999, h), s.f.OnRange(200, 999, h), s.f.OnRange(200, 299, h), s.f.OnRange(404, 404, h))
		})
	})
}
