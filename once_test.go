package echoerr_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/httperr"
)

// onceProbe records what Echo's real middleware saw of each request.
type onceProbe struct {
	mu        sync.Mutex
	dumped    []string // response bodies BodyDump saw
	logged    []int    // statuses RequestLogger logged
	echoLog   bytes.Buffer
	accessLog bytes.Buffer
}

func (p *onceProbe) middleware(name string) echo.MiddlewareFunc {
	switch name {
	case "Logger":
		//lint:ignore SA1019 the exactly-once promise covers Echo's Logger middleware, deprecated or not
		return middleware.LoggerWithConfig(middleware.LoggerConfig{Output: &p.accessLog, Format: "${status}\n"})
	case "Recover":
		return middleware.Recover()
	case "BodyDump":
		return middleware.BodyDump(func(_ echo.Context, _, res []byte) {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.dumped = append(p.dumped, string(res))
		})
	case "RequestLogger":
		return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			HandleError: true,
			LogStatus:   true,
			LogError:    true,
			LogValuesFunc: func(_ echo.Context, v middleware.RequestLoggerValues) error {
				p.mu.Lock()
				defer p.mu.Unlock()
				p.logged = append(p.logged, v.Status)
				return nil
			},
		})
	}
	panic("unknown middleware " + name)
}

// TestExactlyOnceWithEchoMiddleware: with Echo's Logger, Recover, BodyDump
// and RequestLogger (HandleError: true) installed, alone and all together,
// a failing route, a panicking route and a route that wrote part of its
// response before failing each get one response, one log record and one
// report (a gone client too: nothing written, one Debug record, no
// report). BodyDump and RequestLogger make Echo call the handler twice.
func TestExactlyOnceWithEchoMiddleware(t *testing.T) {
	stacks := [][]string{
		{"Logger"},
		{"Recover"},
		{"BodyDump"},
		{"RequestLogger"},
		{"RequestLogger", "Logger", "BodyDump", "Recover"},
	}
	routes := []struct {
		path     string
		code     int
		body     string // exact body; "" means the default JSON body
		reported int
		status   int // c.Response().Status, as access logs see it
	}{
		{"/fail", 500, "", 1, 500},
		{"/panic", 500, "", 1, 500},
		{"/partial", 200, "part", 1, 200},
		{"/missing", 404, "", 0, 404},
		{"/gone", 200, "-", 0, httperr.StatusClientClosedRequest}, // nothing written: the recorder says 200
	}
	for _, stack := range stacks {
		for _, rt := range routes {
			mws := stack
			if rt.path == "/panic" && !strings.Contains(strings.Join(stack, ","), "Recover") {
				mws = append(append([]string(nil), stack...), "Recover") // innermost; without it a panic never reaches an error handler
			}
			t.Run(strings.Join(mws, "+")+rt.path, func(t *testing.T) {
				f := newFixture(t)
				p := &onceProbe{}
				f.E.Logger.SetOutput(&p.echoLog)
				for _, m := range mws {
					f.E.Use(p.middleware(m))
				}
				f.E.GET("/fail", func(echo.Context) error { return errors.New("boom") })
				f.E.GET("/panic", func(echo.Context) error { panic("kaboom") })
				f.E.GET("/gone", func(echo.Context) error { return fmt.Errorf("query: %w", context.Canceled) })
				f.E.GET("/partial", func(c echo.Context) error {
					c.Response().WriteHeader(http.StatusOK)
					_, _ = c.Response().Write([]byte("part"))
					return errors.New("broke after writing")
				})

				var rec *httpRecorder
				if rt.path == "/gone" {
					rec = httptest.NewRecorder()
					f.E.ServeHTTP(rec, canceledRequest(rt.path)) // the client went away
				} else {
					rec = f.do(http.MethodGet, rt.path)
				}
				require.Equal(t, rt.code, rec.Code)
				want := rt.body
				switch want {
				case "":
					want = expectedJSON(rt.code)
				case "-":
					want = ""
				}
				assert.Equal(t, want, rec.Body.String(), "one response body, written once")
				assert.NotContains(t, p.echoLog.String(), "already committed")
				assert.Len(t, f.Log.Records(), 1, "one log record")
				assert.Len(t, f.Reports.Reports(), rt.reported, "reports")
				for _, m := range mws {
					switch m {
					case "BodyDump":
						assert.Equal(t, []string{want}, p.dumped, "BodyDump saw the body once")
					case "RequestLogger":
						assert.Equal(t, []int{rt.status}, p.logged, "RequestLogger logs the status echoerr set")
					case "Logger":
						assert.Equal(t, strconv.Itoa(rt.status)+"\n", p.accessLog.String())
					}
				}
			})
		}
	}
}

// TestExactlyOncePerRequestNotPerHandler: the once-only mark is per
// request: the next request on the same app is handled again.
func TestExactlyOncePerRequestNotPerHandler(t *testing.T) {
	f := newFixture(t)
	f.E.Use(middleware.BodyDump(func(echo.Context, []byte, []byte) {}))
	for i := 1; i <= 3; i++ {
		rec := f.do(http.MethodGet, "/missing")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, expectedJSON(404), rec.Body.String())
		assert.Len(t, f.Log.Records(), i)
	}
}

// expectedJSON is the default JSON body for code.
func expectedJSON(code int) string {
	return fmt.Sprintf(`{"code":%d,"name":%q,"description":%q}`+"\n", code, httperr.StatusName(code), httperr.StatusDescription(code))
}
