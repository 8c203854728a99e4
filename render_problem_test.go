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

// outOfCredit is an API error with its own status, text and members.
type outOfCredit struct{ balance int }

func (e *outOfCredit) Error() string       { return "out of credit" }
func (e *outOfCredit) StatusCode() int     { return http.StatusForbidden }
func (e *outOfCredit) Description() string { return "Your current balance is 30, but that costs 50." }
func (e *outOfCredit) Extensions() map[string]any {
	return map[string]any{"balance": e.balance, "type": "evil", "status": 200, "title": "x", "detail": "x", "instance": "x"}
}

func problemFixture(t *testing.T, opts ...echoerr.ProblemOption) *fixture {
	t.Helper()
	return newFixture(t, echoerr.WithRenderer(echoerr.Problem(opts...)))
}

func TestProblemDefaultBody(t *testing.T) {
	rec := problemFixture(t).do(http.MethodGet, "/users/7")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,`+
		`"detail":"The requested URL was not found on this server.","instance":"/users/7"}`+"\n", rec.Body.String())
}

func TestProblemExtensionsCannotOverrideStandardMembers(t *testing.T) {
	f := problemFixture(t)
	f.failWith("/buy", fmt.Errorf("checkout: %w", &outOfCredit{balance: 30}))
	rec := f.do(http.MethodGet, "/buy")
	require.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, `{"type":"about:blank","title":"Forbidden","status":403,`+
		`"detail":"Your current balance is 30, but that costs 50.","instance":"/buy","balance":30}`+"\n", rec.Body.String())
}

func TestProblemTypeByStatusAndByErrorType(t *testing.T) {
	f := problemFixture(t,
		echoerr.ProblemType(http.StatusNotFound, "https://example.com/probs/not-found"),
		echoerr.ProblemType(http.StatusForbidden, "https://example.com/probs/forbidden"),
		echoerr.ProblemTypeFor[*outOfCredit]("https://example.com/probs/out-of-credit"),
	)
	f.failWith("/buy", fmt.Errorf("checkout: %w", &outOfCredit{balance: 30}))
	f.failWith("/deny", echo.NewHTTPError(http.StatusForbidden))
	f.failWith("/conflict", echo.NewHTTPError(http.StatusConflict))

	tests := []struct{ path, want string }{
		{"/nope", "https://example.com/probs/not-found"},
		{"/deny", "https://example.com/probs/forbidden"},
		{"/buy", "https://example.com/probs/out-of-credit"}, // the error type beats its status
		{"/conflict", "about:blank"},
	}
	for _, tc := range tests {
		rec := f.do(http.MethodGet, tc.path)
		assert.Equal(t, tc.want, decodeJSON(t, rec.Body)["type"], tc.path)
	}
}

func TestProblemDebugMember(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.Problem()), echoerr.WithDebug(true))
	f.failWith("/boom", fmt.Errorf("query: %w", errors.New("timeout")))
	m := decodeJSON(t, f.do(http.MethodGet, "/boom", "Authorization: Basic c2VjcmV0").Body)
	require.Contains(t, m, "debug")
	dbg := m["debug"].(map[string]any)
	assert.Equal(t, "GET /boom HTTP/1.1", dbg["request"])
	chain := dbg["chain"].([]any)
	require.Len(t, chain, 2)
	assert.Equal(t, map[string]any{"type": "*fmt.wrapError", "message": "query: timeout"}, chain[0])
	assert.Equal(t, "The server encountered an internal error and could not complete the request.", m["detail"])

	m = decodeJSON(t, problemFixture(t).do(http.MethodGet, "/nope").Body)
	assert.NotContains(t, m, "debug", "no debug member outside debug mode")
}

func TestProblemInstanceIsTheEscapedPath(t *testing.T) {
	rec := problemFixture(t).do(http.MethodGet, "/a%20b/%3Cx%3E?token=secret")
	m := decodeJSON(t, rec.Body)
	assert.Equal(t, "/a%20b/%3Cx%3E", m["instance"], "path only: the query may hold secrets")
}

func TestProblemTypeRejectsBadStatus(t *testing.T) {
	defer func() {
		assert.Contains(t, fmt.Sprint(recover()), "ProblemType(42)")
	}()
	echoerr.Problem(echoerr.ProblemType(42, "x"))
	t.Fatal("Problem did not panic")
}
