package echoerr_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// invalidUsage is a typed error with its own status, as in Flask's
// InvalidAPIUsage example.
type invalidUsage struct{ msg string }

func (e *invalidUsage) Error() string { return e.msg }

// routeKind is one kind of failing request and the status it must get.
type routeKind struct {
	method, path string
	status       int
}

// everyRouteKind lists one request of every kind the mixed-error app
// (newMixedApp) answers.
var everyRouteKind = []routeKind{
	{http.MethodGet, "/no/such/page", http.StatusNotFound},
	{http.MethodPost, "/typed", http.StatusMethodNotAllowed},
	{http.MethodGet, "/typed", http.StatusBadRequest},
	{http.MethodGet, "/wrapped", http.StatusConflict},
	{http.MethodGet, "/panic", http.StatusInternalServerError},
	{http.MethodGet, "/fail", http.StatusInternalServerError},
	{http.MethodGet, "/deadline", http.StatusServiceUnavailable},
	{http.MethodGet, "/canceled", http.StatusInternalServerError}, // the route's own work was cancelled, the client is connected
	{http.MethodGet, "/api/no/such/page", http.StatusTeapot},
	{http.MethodGet, "/api/users", http.StatusTeapot},
}

// mixedOptions are the handlers of the mixed-error app: a typed handler and
// a scope with its own catch-all.
func mixedOptions() []echoerr.Option {
	return []echoerr.Option{
		echoerr.OnType(func(c echo.Context, err *invalidUsage) error {
			return echoerr.BadRequest(err.msg)
		}),
		echoerr.Group("/api", echoerr.OnAny(func(c echo.Context, err error) error {
			return echoerr.NewError(http.StatusTeapot, "the API scope answered")
		})),
	}
}

// recoverPanics turns a panic into an error that keeps its stack.
var recoverPanics = echoerr.Recover()

// addMixedRoutes gives e one route for every kind of failure in
// everyRouteKind, behind a Recover middleware.
func addMixedRoutes(e *echo.Echo) {
	e.Use(recoverPanics)
	e.GET("/typed", func(echo.Context) error { return &invalidUsage{"no user id"} })
	e.GET("/wrapped", func(echo.Context) error {
		return fmt.Errorf("save: %w", echo.NewHTTPError(http.StatusConflict, "taken"))
	})
	e.GET("/panic", func(echo.Context) error { panic("route exploded") })
	e.GET("/fail", func(echo.Context) error { return errors.New("db down") })
	e.GET("/deadline", func(echo.Context) error { return fmt.Errorf("query: %w", context.DeadlineExceeded) })
	e.GET("/canceled", func(echo.Context) error { return fmt.Errorf("query: %w", context.Canceled) })
	e.GET("/api/users", func(echo.Context) error { return errors.New("api failure") })
}

// TestConcurrentRequestsOfEveryKindOnOneHandler hammers one handler from 64
// goroutines with every kind of failing request; run it with -race. Every
// request gets its status, is logged once, and each 5xx is reported once.
func TestConcurrentRequestsOfEveryKindOnOneHandler(t *testing.T) {
	const goroutines, rounds = 64, 5
	f := newFixture(t, mixedOptions()...)
	addMixedRoutes(f.E)

	var mu sync.Mutex
	got := map[int]int{} // status → responses; 0 for nothing written
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := map[int]int{}
			for r := range rounds * len(everyRouteKind) {
				k := everyRouteKind[(g+r)%len(everyRouteKind)] // goroutines start on different kinds
				rec := httptest.NewRecorder()
				rec.Code = 0
				f.E.ServeHTTP(rec, httptest.NewRequest(k.method, k.path, nil))
				local[rec.Code]++
			}
			mu.Lock()
			defer mu.Unlock()
			for code, n := range local {
				got[code] += n
			}
		}()
	}
	wg.Wait()

	want := map[int]int{}
	reportable := 0
	for _, k := range everyRouteKind {
		want[k.status] += goroutines * rounds
		if k.status >= 500 {
			reportable += goroutines * rounds
		}
	}
	require.Equal(t, want, got, "responses by status")
	total := goroutines * rounds * len(everyRouteKind)
	assert.Len(t, f.Log.Records(), total, "one log record per request")
	assert.Len(t, f.Reports.Reports(), reportable, "one report per 5xx")
}
