package echoerr_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/v5"
)

// TestDefaultLoggerIsTheRequestsLogger: without WithLogger, the v5 face logs
// through c.Logger(), which is e.Logger unless a middleware set another for
// the request; WithLogger overrides both.
func TestDefaultLoggerIsTheRequestsLogger(t *testing.T) {
	var echoLog, requestLog, own bytes.Buffer
	newEcho := func(opts ...echoerr.Option) *echo.Echo {
		e := echo.New()
		e.Logger = slog.New(slog.NewTextHandler(&echoLog, nil))
		e.HTTPErrorHandler = echoerr.New(opts...)
		e.GET("/fail", func(*echo.Context) error { return errors.New("db down") })
		e.GET("/own-logger", func(c *echo.Context) error {
			c.SetLogger(slog.New(slog.NewTextHandler(&requestLog, nil)))
			return errors.New("db down")
		})
		return e
	}
	serve := func(e *echo.Echo, path string) {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusInternalServerError, rec.Code)
	}

	serve(newEcho(), "/fail")
	assert.Contains(t, echoLog.String(), `msg="request failed" status=500`, "e.Logger by default")

	echoLog.Reset()
	serve(newEcho(), "/own-logger")
	assert.Contains(t, requestLog.String(), `msg="request failed" status=500`, "the request's own logger")
	assert.Empty(t, echoLog.String())

	serve(newEcho(echoerr.WithLogger(slog.New(slog.NewTextHandler(&own, nil)))), "/fail")
	assert.Contains(t, own.String(), `msg="request failed" status=500`, "WithLogger overrides")
	assert.Empty(t, echoLog.String())
}
