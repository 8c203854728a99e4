package echoerr_test

import (
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// TestProxyUnreachableUpstreamMessageIsInternal: Echo v4's Proxy
// middleware answers an unreachable upstream with a 502 whose message is
// "remote <upstream> unreachable, could not forward: <dial error>". That
// message is internal: clients get the default 502 description (EchoJSON:
// Echo's status text). That no renderer shows the address and that the log
// has it is the shared suite's (PublicText); Echo v5's Proxy puts the
// address in the error it wraps, not in its message.
func TestProxyUnreachableUpstreamMessageIsInternal(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now: connection refused
	upstream, err := url.Parse("http://" + addr)
	require.NoError(t, err)
	for _, r := range []struct {
		name     string
		renderer echoerr.Renderer
		public   string // the public text the body must hold
	}{
		{"JSON", echoerr.JSON(), httperr.StatusDescription(http.StatusBadGateway)},
		{"Problem", echoerr.Problem(), httperr.StatusDescription(http.StatusBadGateway)},
		{"Text", echoerr.Text(), httperr.StatusDescription(http.StatusBadGateway)},
		{"EchoJSON", echoerr.EchoJSON(), `{"message":"Bad Gateway"}`},
	} {
		t.Run(r.name, func(t *testing.T) {
			f := newFixture(t, echoerr.WithRenderer(r.renderer), echoerr.WithDebug(false))
			f.E.Group("/up", middleware.Proxy(middleware.NewRoundRobinBalancer([]*middleware.ProxyTarget{{URL: upstream}})))
			rec := f.do(http.MethodGet, "/up/orders")
			require.Equal(t, http.StatusBadGateway, rec.Code)
			body := rec.Body.String()
			assert.Contains(t, body, r.public)
			assert.NotContains(t, body, "unreachable")
			assert.NotContains(t, body, "could not forward")
		})
	}
}
