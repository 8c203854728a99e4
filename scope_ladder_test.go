package echoerr_test

import (
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

var errScopeTest = errors.New("scope test failure")

func TestInnermostScopeLadderIsTriedWholeBeforeParent(t *testing.T) {
	var seen []string
	e := newApp(
		// The application's most specific handler...
		echoerr.OnError(errScopeTest, trace(&seen, "app OnError")),
		echoerr.OnCode(http.StatusInternalServerError, trace(&seen, "app OnCode")),
		echoerr.OnAny(trace(&seen, "app OnAny")),
		echoerr.Group("/api",
			// ...comes after the group's least specific one: a scope owns
			// its errors (unlike Flask, which checks codes in every scope
			// before classes).
			echoerr.OnAny(trace(&seen, "api OnAny")),
			echoerr.OnCode(http.StatusInternalServerError, trace(&seen, "api OnCode")),
			echoerr.Group("/v1",
				echoerr.OnRange(500, 599, trace(&seen, "v1 OnRange")),
				echoerr.OnError(errScopeTest, trace(&seen, "v1 OnError")),
			),
		),
	)
	e.GET("/api/v1/x", func(echo.Context) error { return errScopeTest })
	rec := request(e, http.MethodGet, "", "/api/v1/x")
	assert.Equal(t, "app 500", rec.Body.String(), "everyone passed: rendered by the nearest renderer")
	assert.Equal(t, []string{
		"v1 OnError", "v1 OnRange",
		"api OnCode", "api OnAny",
		"app OnError", "app OnCode", "app OnAny",
	}, seen)
}

func TestScopeHandlerWinsOverParentAndPassFallsThrough(t *testing.T) {
	e := newApp(
		echoerr.OnCode(http.StatusNotFound, say("app 404 page")),
		echoerr.Group("/api", echoerr.OnAny(say("api catch-all"))),
		echoerr.Group("/shop", echoerr.OnAny(func(c echo.Context, err error) error {
			if c.Request().URL.Query().Has("mine") {
				return say("shop")(c, err)
			}
			return echoerr.Pass
		})),
		echoerr.Group("/blog", echoerr.OnCode(http.StatusForbidden, say("blog 403"))),
	)
	assert.Equal(t, "api catch-all 404", request(e, http.MethodGet, "", "/api/nope").Body.String(),
		"a group's catch-all beats the application's 404 page")
	assert.Equal(t, "shop 404", request(e, http.MethodGet, "", "/shop/nope?mine").Body.String())
	assert.Equal(t, "app 404 page 404", request(e, http.MethodGet, "", "/shop/nope").Body.String(),
		"Pass in the group goes on to the parent's ladder")
	assert.Equal(t, "app 404 page 404", request(e, http.MethodGet, "", "/blog/nope").Body.String(),
		"nothing in the group matched: the parent's ladder")
}

func TestRendererIsTheNearestScopesThatSetsOne(t *testing.T) {
	e := newApp(
		echoerr.OnCode(http.StatusTeapot, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "adjusted by the application"
			return fe
		}),
		echoerr.Group("/api", as("api"),
			echoerr.Group("/v1", echoerr.OnAny(func(echo.Context, error) error { return nil })),
			echoerr.Group("/v2", as("v2")),
		),
	)
	e.Any("/*", func(echo.Context) error { return echo.NewHTTPError(http.StatusTeapot) })
	for path, want := range map[string]string{
		"/x":        "app 418",
		"/api/x":    "api 418",
		"/api/v1/x": "api 418", // v1 sets none: its parent's; v1's handler only observed
		"/api/v2/x": "v2 418",
	} {
		assert.Equal(t, want, request(e, http.MethodGet, "", path).Body.String(), path)
	}
}

func TestLoggerReporterFilterAndDebugAreTheNearestScopes(t *testing.T) {
	appLog, apiLog := &logRecorder{}, &logRecorder{}
	appRep, apiRep, adminRep := &reportRecorder{}, &reportRecorder{}, &reportRecorder{}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(appLog)),
		echoerr.WithReporter(appRep.report),
		echoerr.Group("/api",
			echoerr.WithLogger(slog.New(apiLog)),
			echoerr.WithReporter(apiRep.report),
			echoerr.Group("/v1", echoerr.WithDebug(false)), // inherits logger and reporter
		),
		echoerr.Group("/admin",
			echoerr.WithDebug(true),
			echoerr.WithReporter(adminRep.report),
			echoerr.WithReportFilter(func(e *echoerr.Error) bool { return e.Code >= 400 }),
		),
	)
	for _, path := range []string{"/api/x", "/api/v1/x", "/admin/x"} {
		e.GET(path, func(echo.Context) error { return errScopeTest })
	}

	request(e, http.MethodGet, "", "/api/v1/x")
	require.Len(t, apiLog.Records(), 1, "the /api logger for /api/v1")
	assert.Equal(t, "/api/v1/x", attrs(apiLog.Records()[0])["path"])
	assert.Len(t, apiRep.Reports(), 1, "the /api reporter for /api/v1")
	assert.Empty(t, appLog.Records())
	assert.Empty(t, appRep.Reports())

	rec := request(e, http.MethodGet, "", "/admin/x")
	m := decodeJSON(t, rec.Body)
	assert.Contains(t, m, "debug", "debug on in /admin")
	assert.Len(t, appLog.Records(), 1, "no logger in /admin: the application's")
	require.Len(t, adminRep.Reports(), 1)
	assert.Empty(t, appRep.Reports())

	request(e, http.MethodGet, "", "/admin/nope") // a 404: the /admin filter reports 4xx too
	assert.Len(t, adminRep.Reports(), 2)
	request(e, http.MethodGet, "", "/api/nope") // a 404 under /api: the default filter
	assert.Len(t, apiRep.Reports(), 1)

	e.Debug = true
	m = decodeJSON(t, request(e, http.MethodGet, "", "/api/v1/x").Body)
	assert.NotContains(t, m, "debug", "WithDebug(false) in /api/v1 beats e.Debug")
	m = decodeJSON(t, request(e, http.MethodGet, "", "/api/x").Body)
	assert.Contains(t, m, "debug", "no WithDebug up to the application: e.Debug")
}

func TestHostScopeHasItsOwnRendererAndFallsBackToApplication(t *testing.T) {
	e := newApp(
		echoerr.OnCode(http.StatusNotFound, say("app page")),
		echoerr.Host("admin.example.com", as("admin"),
			echoerr.OnCode(http.StatusForbidden, say("admin forbidden"))),
	)
	e.GET("/secret", func(echo.Context) error { return echo.ErrForbidden })
	assert.Equal(t, "admin forbidden 403", request(e, http.MethodGet, "admin.example.com", "/secret").Body.String())
	assert.Equal(t, "app page 404", request(e, http.MethodGet, "admin.example.com", "/nope").Body.String(),
		"the host's ladder has no 404 handler: the application's")
	assert.Equal(t, "app 403", request(e, http.MethodGet, "www.example.com", "/secret").Body.String())
}

// TestScopesAreSafeForConcurrentUse serves requests for every scope from
// several goroutines at once (run with -race): each gets its own scope's
// answer, and the per-scope type caches are shared safely.
func TestScopesAreSafeForConcurrentUse(t *testing.T) {
	e := newApp(
		echoerr.OnType(func(c echo.Context, err temporary) error { return say("app")(c, err) }),
		echoerr.Group("/api", echoerr.OnType(func(c echo.Context, err temporary) error { return say("api")(c, err) }),
			echoerr.Group("/v1", echoerr.OnType(func(c echo.Context, err temporary) error { return say("v1")(c, err) }))),
		echoerr.Host("admin.example.com", echoerr.OnType(func(c echo.Context, err temporary) error { return say("admin")(c, err) })),
	)
	e.Any("/*", func(echo.Context) error { return &tempError{"try later"} })
	cases := []struct{ host, path, want string }{
		{"", "/x", "app 500"}, {"", "/api/x", "api 500"}, {"", "/api/v1/x", "v1 500"}, {"admin.example.com", "/api/x", "admin 500"},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				tc := cases[(g+i)%len(cases)]
				if got := request(e, http.MethodGet, tc.host, tc.path).Body.String(); got != tc.want {
					t.Errorf("%s%s: got %q, want %q", tc.host, tc.path, got, tc.want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
