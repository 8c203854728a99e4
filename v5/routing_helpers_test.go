package echoerr

import (
	"log/slog"
	"net/http/httptest"

	"github.com/labstack/echo/v5"
)

// serve runs one request through e and returns the recorder.
func serve(e *echo.Echo, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

// quietEcho returns an Echo that logs nothing.
func quietEcho() *echo.Echo {
	e := echo.New()
	e.Logger = slog.New(slog.DiscardHandler)
	return e
}
