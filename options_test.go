package echoerr_test

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// nonComparable is an error type that cannot be compared with ==.
type nonComparable struct{ _ []string }

func (nonComparable) Error() string { return "non-comparable" }

// panicMessage returns the value f panicked with, as a string, or "" when
// it did not panic.
func panicMessage(f func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	f()
	return ""
}

// TestBadRegistrationsPanicInNew: each bad option panics inside New (not
// when the option is made), with a message naming the option, the bad
// value, what is wrong and where it was registered.
func TestBadRegistrationsPanicInNew(t *testing.T) {
	h := func(echo.Context, error) error { return nil }
	// at matches the file:line of this test file where the option was made.
	at := regexp.MustCompile(`\(at options_test\.go:\d+\)`)
	for _, tc := range []struct {
		name string
		opt  echoerr.Option
		want []string
	}{
		{"OnCode 0", echoerr.OnCode(0, h), []string{"OnCode(0)", "outside 200–999"}},
		{"OnCode 1000", echoerr.OnCode(1000, h), []string{"OnCode(1000)", "outside 200–999"}},
		{"OnCode nil handler", echoerr.OnCode(404, nil), []string{"OnCode(404)", "nil handler"}},
		{"OnRange empty", echoerr.OnRange(500, 400, h), []string{"OnRange(500, 400)", "empty range"}},
		{"OnRange low bound", echoerr.OnRange(0, 600, h), []string{"OnRange(0, 600)", "outside 200–999"}},
		{"OnRange high bound", echoerr.OnRange(400, 1000, h), []string{"OnRange(400, 1000)", "outside 200–999"}},
		{"OnRange nil handler", echoerr.OnRange(400, 499, nil), []string{"OnRange(400, 499)", "nil handler"}},
		{"OnType nil handler", echoerr.OnType[*codedError](nil), []string{"OnType[*echoerr_test.codedError]", "nil handler"}},
		{"OnType carrier nil handler", echoerr.OnType[*echo.HTTPError](nil), []string{"OnType[*echo.HTTPError]", "nil handler"}},
		{"OnError nil target", echoerr.OnError(nil, h), []string{"OnError(nil)", "nil target"}},
		{"OnError non-comparable target", echoerr.OnError(nonComparable{}, h), []string{"OnError(echoerr_test.nonComparable)", "not comparable", "OnType"}},
		{"OnError nil handler", echoerr.OnError(errors.New("x"), nil), []string{"OnError(*errors.errorString)", "nil handler"}},
		{"OnHTTPError nil handler", echoerr.OnHTTPError(nil), []string{"OnHTTPError", "nil handler"}},
		{"OnAny nil handler", echoerr.OnAny(nil), []string{"OnAny", "nil handler"}},
		{"WithRenderer nil", echoerr.WithRenderer(nil), []string{"WithRenderer", "nil renderer"}},
		{"WithLogger nil", echoerr.WithLogger(nil), []string{"WithLogger", "nil logger", "DiscardHandler"}},
		{"WithReporter nil", echoerr.WithReporter(nil), []string{"WithReporter", "nil reporter"}},
		{"WithReportFilter nil", echoerr.WithReportFilter(nil), []string{"WithReportFilter", "nil filter"}},
		{"Group without slash", echoerr.Group("api"), []string{`Group("api")`, "must start with /"}},
		{"Group trailing slash", echoerr.Group("/api/"), []string{`Group("/api/")`, "must not end with /"}},
		{"Group empty", echoerr.Group(""), []string{`Group("")`, "empty prefix"}},
		{"Group root", echoerr.Group("/"), []string{`Group("/")`, "empty prefix"}},
		{"Group empty segment", echoerr.Group("/a//b"), []string{`Group("/a//b")`, "empty segment"}},
		{"Group wildcard", echoerr.Group("/files/*", echoerr.OnAny(h)), []string{`Group("/files/*")`, "wildcards are not supported"}},
		{"Group bad option inside", echoerr.Group("/api", echoerr.OnCode(42, h)), []string{"OnCode(42)", "outside 200–999"}},
		{"Group nil option inside", echoerr.Group("/api", echoerr.Option{}), []string{`Group("/api")`, "nil Option"}},
		{"Group duplicate", func() echoerr.Option {
			return echoerr.Group("/x", echoerr.Group("/api", echoerr.OnAny(h)), echoerr.Group("/api", echoerr.OnAny(h)))
		}(), []string{`Group("/api")`, "duplicate scope"}},
		{"Host empty", echoerr.Host(""), []string{`Host("")`, "empty host"}},
		{"Host with port", echoerr.Host("example.com:8080"), []string{`Host("example.com:8080")`, "bare name"}},
		{"Host with scheme", echoerr.Host("https://example.com"), []string{`Host("https://example.com")`, "bare name"}},
		{"Host inner wildcard", echoerr.Host("a.*.example.com"), []string{`Host("a.*.example.com")`, "wildcard"}},
		{"Host empty label", echoerr.Host("example.com."), []string{`Host("example.com.")`, "empty label"}},
		{"Host inside Group", echoerr.Group("/api", echoerr.Host("example.com")), []string{`Host("example.com")`, "directly in New"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := panicMessage(func() { echoerr.New(tc.opt) })
			require.NotEmpty(t, msg, "New did not panic")
			assert.Regexp(t, `^echoerr: `, msg)
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
			assert.Regexp(t, at, msg, "the message says where the option was registered")
		})
	}
}

// TestNilOptionPanicsInNew names New.
func TestNilOptionPanicsInNew(t *testing.T) {
	msg := panicMessage(func() { echoerr.New(echoerr.Option{}) })
	assert.Contains(t, msg, "nil Option")
	assert.Contains(t, msg, "New")
}

// TestMakingABadOptionDoesNotPanic: the check happens in New, so a bad
// option fails where the handler is built, not at request time and not at
// package initialization.
func TestMakingABadOptionDoesNotPanic(t *testing.T) {
	assert.NotPanics(t, func() {
		_ = echoerr.OnCode(0, nil)
		_ = echoerr.OnRange(500, 400, nil)
		_ = echoerr.OnError(nil, nil)
		_ = echoerr.Group("bad")
	})
}

// TestGoodRegistrationsDoNotPanic: boundary values are accepted.
func TestGoodRegistrationsDoNotPanic(t *testing.T) {
	h := func(echo.Context, error) error { return nil }
	var handler echo.HTTPErrorHandler
	require.NotPanics(t, func() {
		handler = echoerr.New(
			echoerr.OnCode(200, h), echoerr.OnCode(999, h),
			echoerr.OnRange(200, 999, h), echoerr.OnRange(404, 404, h),
			echoerr.OnError(errQuota, h), echoerr.OnError(echo.ErrNotFound, h),
			echoerr.OnType(func(echo.Context, temporary) error { return nil }),
			echoerr.Group("/api", echoerr.Group("/v1", echoerr.OnAny(h))),
			echoerr.Host("*.example.com", echoerr.OnAny(h)), echoerr.Host("EXAMPLE.com", echoerr.OnAny(h)),
		)
	})
	e := echo.New()
	e.HTTPErrorHandler = handler
	assert.Equal(t, http.StatusNotFound, serve(e, http.MethodGet, "/api/v1/x").Code)
}
