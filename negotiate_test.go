package echoerr_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// The Accept headers that real clients send.
const (
	acceptChrome  = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
	acceptFirefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	acceptSafari  = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	acceptCurl    = "*/*"
	acceptFetch   = "*/*"                               // fetch() without an Accept of its own
	acceptAxios   = "application/json, text/plain, */*" // axios's default
	acceptHTMX2   = "*/*"                               // htmx 1 and 2 set none; XMLHttpRequest sends */*
	acceptHTMX4   = "text/html"                         // htmx 4
)

func TestNewNegotiatesByAcceptOfRealClients(t *testing.T) {
	tests := []struct {
		client, accept, want string
	}{
		{"Chrome", acceptChrome, "text/html; charset=UTF-8"},
		{"Firefox", acceptFirefox, "text/html; charset=UTF-8"},
		{"Safari", acceptSafari, "text/html; charset=UTF-8"},
		{"curl", acceptCurl, "application/json"},
		{"fetch()", acceptFetch, "application/json"},
		{"axios", acceptAxios, "application/json"},
		{"htmx 2", acceptHTMX2, "application/json"},
		{"htmx 4", acceptHTMX4, "text/html; charset=UTF-8"},
		{"no Accept", "", "application/json"},
		{"problem+json client", "application/problem+json", "application/problem+json"},
		{"problem+json preferred", "application/json;q=0.5, application/problem+json", "application/problem+json"},
		{"terminal tool", "text/plain", "text/plain; charset=UTF-8"},
		{"text/* ties go to the order given", "text/*", "text/html; charset=UTF-8"},
		{"q-values decide", "application/json;q=0.5, text/html;q=0.9", "text/html; charset=UTF-8"},
		{"q=0 excludes", "text/html;q=0, */*;q=0.1", "application/json"},
		{"specific range beats wildcard", "*/*;q=0.9, application/json;q=0.1, text/plain;q=0.5", "text/html; charset=UTF-8"},
		{"malformed Accept", "garbage", "application/json"},
		{"nothing acceptable", "image/png", "application/json"},
	}
	f := newFixture(t)
	for _, tc := range tests {
		t.Run(tc.client, func(t *testing.T) {
			var headers []string
			if tc.accept != "" {
				headers = append(headers, "Accept: "+tc.accept)
			}
			rec := f.do(http.MethodGet, "/nope", headers...)
			require.Equal(t, http.StatusNotFound, rec.Code)
			assert.Equal(t, tc.want, rec.Header().Get("Content-Type"))
			assert.Equal(t, "Accept", rec.Header().Get("Vary"))
			assert.NotEmpty(t, rec.Body.String())
		})
	}
}

func TestNegotiateKeepsEarlierVary(t *testing.T) {
	f := newFixture(t)
	f.E.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Add("Vary", "Origin") // as CORS middleware does
			return next(c)
		}
	})
	f.failWith("/x", echoerr.NotFound(""))
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, []string{"Origin", "Accept"}, rec.Header().Values("Vary"))

	f.E.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Add("Vary", "accept-encoding, Accept")
			return next(c)
		}
	})
	rec = f.do(http.MethodGet, "/x")
	assert.Equal(t, []string{"Origin", "accept-encoding, Accept"}, rec.Header().Values("Vary"), "Accept not repeated")
}

// csvRenderer is a user renderer that joins negotiation through MediaTyper.
type csvRenderer struct{}

func (csvRenderer) Render(c echo.Context, e *echoerr.Error) error {
	return echoerr.Send(c, e.Code, "text/csv", []byte("code,name\n404,Not Found\n"))
}
func (csvRenderer) MediaTypes() []string { return []string{"text/csv"} }

// bareRenderer does not declare its media types.
type bareRenderer struct{}

func (bareRenderer) Render(echo.Context, *echoerr.Error) error { return nil }

func TestNegotiateWithUserRenderer(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.Negotiate(echoerr.Problem(), csvRenderer{})))
	rec := f.do(http.MethodGet, "/nope", "Accept: text/csv")
	assert.Equal(t, "text/csv", rec.Header().Get("Content-Type"))
	assert.Equal(t, "code,name\n404,Not Found\n", rec.Body.String())
	rec = f.do(http.MethodGet, "/nope", "Accept: application/json")
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"), "Problem serves application/json too")
}

func TestNegotiatorsNest(t *testing.T) {
	inner := echoerr.Negotiate(echoerr.Text(), csvRenderer{})
	f := newFixture(t, echoerr.WithRenderer(echoerr.Negotiate(echoerr.JSON(), inner)))
	assert.Equal(t, "text/csv", f.do(http.MethodGet, "/nope", "Accept: text/csv").Header().Get("Content-Type"))
	assert.ElementsMatch(t, []string{"text/plain", "text/csv"}, inner.(httperr.MediaTyper).MediaTypes())
}

func TestNegotiateRejectsBadRenderers(t *testing.T) {
	tests := []struct {
		name  string
		rs    []echoerr.Renderer
		panic string
	}{
		{"none", nil, "echoerr: Negotiate: no renderers"},
		{"nil", []echoerr.Renderer{echoerr.JSON(), nil}, "echoerr: Negotiate: renderer 1 is nil"},
		{"no media types", []echoerr.Renderer{bareRenderer{}}, "echoerr: Negotiate: renderer 0 (echoerr_test.bareRenderer) " +
			"does not declare its media types; give it a MediaTypes() []string method (see httperr.MediaTyper)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tc.panic, func() { echoerr.Negotiate(tc.rs...) })
		})
	}
}

// delegatingRenderer hands every error to the renderer it wraps, as a
// custom renderer that adds something around Negotiate would.
type delegatingRenderer struct{ next echoerr.Renderer }

func (d delegatingRenderer) Render(c echo.Context, e *echoerr.Error) error {
	return d.next.Render(c, e)
}

// TestNegotiatorCalledByAnotherRendererSetsVary: a negotiator rendered from
// inside a custom renderer, not by the handler, still chooses by Accept and
// adds Vary: Accept.
func TestNegotiatorCalledByAnotherRendererSetsVary(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(delegatingRenderer{echoerr.Negotiate(echoerr.JSON(), echoerr.Text())}))
	rec := f.do(http.MethodGet, "/nope", "Accept: text/plain")
	assert.Equal(t, echo.MIMETextPlainCharsetUTF8, rec.Header().Get("Content-Type"))
	assert.Equal(t, []string{"Accept"}, rec.Header().Values("Vary"))
}
