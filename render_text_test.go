package echoerr_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

func TestTextBody(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.Text()))
	rec := f.do(http.MethodGet, "/nope")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "text/plain; charset=UTF-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, "404 Not Found\n\nThe requested URL was not found on this server.\n", rec.Body.String())
}

func TestTextReplacesControlCharacters(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.Text()))
	f.failWith("/x", echo.NewHTTPError(http.StatusBadRequest, "bad id \x1b[31mred\x1b[0m\r\nline two\ttab \xff \u009b"))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, "400 Bad Request\n\nbad id \uFFFD[31mred\uFFFD[0m\uFFFD\nline two\ttab \uFFFD \uFFFD\n", rec.Body.String())
}

func TestTextDebugAddsRequestChainAndStack(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.Text()), echoerr.WithDebug(true))
	f.E.GET("/boom", func(c echo.Context) error {
		return &withStack{fmt.Errorf("render: %w", errors.New("nil map")), []byte("goroutine 1 [running]:")}
	})
	rec := f.do(http.MethodGet, "/boom", "Cookie: id=SECRET")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "500 Internal Server Error\n\n"+
		"The server encountered an internal error and could not complete the request.\n"+
		"\nRequest:\n  GET /boom HTTP/1.1\n  Cookie: [redacted]\n"+
		"\nError chain:\n"+
		"  1. *echoerr_test.withStack: render: nil map\n"+
		"  2. *fmt.wrapError: render: nil map\n"+
		"  3. *errors.errorString: nil map\n"+
		"\nStack:\ngoroutine 1 [running]:\n", rec.Body.String())
}

// withStack is an error that carries a stack as text, as errors of
// github.com/pkg/errors do.
type withStack struct {
	err   error
	stack []byte
}

func (e *withStack) Error() string { return e.err.Error() }
func (e *withStack) Unwrap() error { return e.err }
func (e *withStack) Stack() []byte { return e.stack }
