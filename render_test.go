package echoerr_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// TestJSONBodyShape: the exact bytes and headers of the JSON renderer.
func TestJSONBodyShape(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.JSON()))
	rec := f.do(http.MethodGet, "/missing")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, `{"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}`+"\n", rec.Body.String())
	assert.Equal(t, echo.MIMEApplicationJSON, rec.Header().Get(echo.HeaderContentType))
	assertContentLength(t, rec)
}

// TestJSONIsTheDefaultRenderer: New without WithRenderer writes JSON when
// the client states no preference (issue 3 item 8: it negotiates, JSON
// first; negotiate_test.go covers the other media types).
func TestJSONIsTheDefaultRenderer(t *testing.T) {
	f := newFixture(t)
	assert.Equal(t, expectedJSON(404), f.do(http.MethodGet, "/missing").Body.String())
	assert.Equal(t, expectedJSON(404), f.do(http.MethodGet, "/missing", "Accept: */*").Body.String())
}

// TestJSONExtensionsAreTopLevelMembers: Extensions follow the canonical
// members in key order and cannot override code, name or description.
func TestJSONExtensionsAreTopLevelMembers(t *testing.T) {
	fe := echoerr.NewError(http.StatusConflict, "Taken.")
	fe.Extensions = map[string]any{
		"code": 1, "name": "spoof", "description": "spoofed",
		"field": "email", "alternatives": []string{"a@x", "b@x"}, "n": 2,
	}
	f := newFixture(t)
	f.failWith("/x", fe)
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, `{"code":409,"name":"Conflict","description":"Taken.","alternatives":["a@x","b@x"],"field":"email","n":2}`+"\n", rec.Body.String())
}

// TestJSONLeavesOutUnencodableExtensions: one bad member does not cost the
// response.
func TestJSONLeavesOutUnencodableExtensions(t *testing.T) {
	fe := echoerr.NewError(http.StatusBadRequest, "Bad.")
	fe.Extensions = map[string]any{"ch": make(chan int), "ok": true}
	f := newFixture(t)
	f.failWith("/x", fe)
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, `{"code":400,"name":"Bad Request","description":"Bad.","ok":true}`+"\n", rec.Body.String())
}

// TestJSONDebugMemberCannotBeSpoofed: in debug mode an extension named
// "debug" gives way to the real debug member.
func TestJSONDebugMemberCannotBeSpoofed(t *testing.T) {
	fe := echoerr.NewError(http.StatusBadRequest, "Bad.")
	fe.Extensions = map[string]any{"debug": "spoof"}
	f := newFixture(t, echoerr.WithDebug(true))
	f.failWith("/x", fe)
	body := decodeJSON(t, f.do(http.MethodGet, "/x").Body)
	assert.IsType(t, map[string]any{}, body["debug"])
}

// TestJSONEscapesStrings: descriptions are JSON-escaped, HTML-sensitive
// characters included, and invalid UTF-8 does not break the document.
func TestJSONEscapesStrings(t *testing.T) {
	for _, desc := range []string{
		`<script>alert("x")</script> & 'q'`,
		"line\nbreak\ttab\\slash\x01ctl",
		"sep\u2028\u2029arators, ünïcödé, 日本",
		"bad \xff utf-8",
	} {
		f := newFixture(t)
		f.failWith("/x", echoerr.NewError(http.StatusBadRequest, desc))
		rec := f.do(http.MethodGet, "/x")
		raw := rec.Body.String()
		require.True(t, json.Valid([]byte(raw)), raw)
		assert.NotContains(t, raw, "<")
		assert.NotContains(t, raw, ">")
		want, _ := json.Marshal(desc) // encoding/json's escaping, for comparison
		assert.Contains(t, raw, `"description":`+string(want))
	}
}

// richError supplies its status, public text, extra members and headers
// through the optional interfaces.
type richError struct{ id string }

func (e *richError) Error() string              { return "internal: row " + e.id + " locked by txn 42" }
func (e *richError) StatusCode() int            { return http.StatusLocked }
func (e *richError) Description() string        { return "Document " + e.id + " is being edited." }
func (e *richError) Extensions() map[string]any { return map[string]any{"document": e.id} }
func (e *richError) Header() http.Header        { return http.Header{"Retry-After": {"5"}} }

// describedOnly has public text but no status.
type describedOnly struct{}

func (describedOnly) Error() string       { return "internal detail" }
func (describedOnly) Description() string { return "Public text without a status." }

// TestCustomTypesSupplyTextMembersAndHeaders: Describer, Extender and
// Headerer on a custom error, also when wrapped.
func TestCustomTypesSupplyTextMembersAndHeaders(t *testing.T) {
	f := newFixture(t)
	f.failWith("/x", fmt.Errorf("save: %w", &richError{id: "d7"}))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusLocked, rec.Code)
	assert.Equal(t, "5", rec.Header().Get("Retry-After"))
	assert.Equal(t, `{"code":423,"name":"Locked","description":"Document d7 is being edited.","document":"d7"}`+"\n", rec.Body.String())
	assert.NotContains(t, rec.Body.String(), "txn 42")
}

// TestPublicTextComesFromTheCarrierOrAbove: links below the status carrier
// are its causes and stay internal; the outermost link offering text wins;
// an error without a status shows no text of its own.
func TestPublicTextComesFromTheCarrierOrAbove(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		code int
		desc string
	}{
		{"Describer below the carrier is internal",
			echo.NewHTTPError(http.StatusBadRequest).SetInternal(&richError{id: "x"}), 400, httperr.StatusDescription(400)},
		{"outermost Describer wins",
			&wrapError{msg: "w", err: fmt.Errorf("a: %w", &richError{id: "inner"})}, 423, "Document inner is being edited."},
		{"Describer above the carrier",
			describedCarrier{describedOnly{}, echo.ErrForbidden}, 403, "Public text without a status."},
		{"Describer without any status",
			fmt.Errorf("x: %w", describedOnly{}), 500, httperr.StatusDescription(500)},
		{"HTTPError message that repeats the status text",
			echo.ErrNotFound, 404, httperr.StatusDescription(404)},
		{"HTTPError string message",
			echo.NewHTTPError(http.StatusBadRequest, "Missing name."), 400, "Missing name."},
		{"HTTPError error message is internal",
			echo.NewHTTPError(http.StatusBadRequest, errors.New("strconv: bad digit")), 400, httperr.StatusDescription(400)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.failWith("/x", tc.err)
			rec := f.do(http.MethodGet, "/x")
			require.Equal(t, tc.code, rec.Code)
			assert.Equal(t, tc.desc, decodeJSON(t, rec.Body)["description"])
		})
	}
}

// describedCarrier is a Describer that wraps a status carrier.
type describedCarrier struct {
	describedOnly
	err error
}

func (d describedCarrier) Unwrap() error { return d.err }

// TestHTTPErrorStructuredMessageBecomesAMember: an *echo.HTTPError whose
// Message is a map (which Echo renders as the body) keeps it as "message".
func TestHTTPErrorStructuredMessageBecomesAMember(t *testing.T) {
	f := newFixture(t)
	f.failWith("/x", echo.NewHTTPError(http.StatusUnprocessableEntity, map[string]any{"field": "email"}))
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, `{"code":422,"name":"Unprocessable Entity","description":"`+httperr.StatusDescription(422)+`","message":{"field":"email"}}`+"\n", rec.Body.String())
}

// toDict is InvalidAPIUsage.to_dict() from Flask's documentation.
func (e *InvalidAPIUsage) toDict() map[string]any {
	rv := map[string]any{}
	for k, v := range e.Payload {
		rv[k] = v
	}
	rv["message"] = e.Message
	return rv
}

// userAPI is the route of Flask's InvalidAPIUsage example.
func userAPI(c echo.Context) error {
	userID := c.QueryParam("user_id")
	if userID == "" {
		return &InvalidAPIUsage{Message: "No user id provided!"}
	}
	if userID != "7" {
		return &InvalidAPIUsage{Message: "No such user!", Code: http.StatusNotFound, Payload: map[string]any{"user_id": userID}}
	}
	return c.JSON(http.StatusOK, map[string]string{"name": "ada"})
}

// TestInvalidAPIUsage ports Flask's "Returning API Errors as JSON": the
// error type renders itself through Describer and Extender, and a handler
// registered by type can answer exactly as Flask's to_dict handler does.
func TestInvalidAPIUsage(t *testing.T) {
	t.Run("rendered through the interfaces", func(t *testing.T) {
		f := newFixture(t)
		f.E.GET("/api/user", userAPI)
		rec := f.do(http.MethodGet, "/api/user")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, `{"code":400,"name":"Bad Request","description":"No user id provided!"}`+"\n", rec.Body.String())
		rec = f.do(http.MethodGet, "/api/user?user_id=420")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, `{"code":404,"name":"Not Found","description":"No such user!","user_id":"420"}`+"\n", rec.Body.String())
		assert.Equal(t, http.StatusOK, f.do(http.MethodGet, "/api/user?user_id=7").Code)
		assert.Len(t, f.Reports.Reports(), 0, "4xx are not reported")
	})
	t.Run("Flask's handler by type", func(t *testing.T) {
		f := newFixture(t,
			echoerr.OnCode(http.StatusNotFound, func(echo.Context, error) error { panic("the type comes before the code") }),
			echoerr.OnType(func(c echo.Context, e *InvalidAPIUsage) error {
				return c.JSON(e.StatusCode(), e.toDict())
			}),
		)
		f.E.GET("/api/user", userAPI)
		rec := f.do(http.MethodGet, "/api/user?user_id=420")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, map[string]any{"message": "No such user!", "user_id": "420"}, decodeJSON(t, rec.Body))
		rec = f.do(http.MethodGet, "/api/user")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, map[string]any{"message": "No user id provided!"}, decodeJSON(t, rec.Body))
	})
}

// textRenderer is a custom Renderer built on Send.
type textRenderer struct{}

func (textRenderer) Render(c echo.Context, e *echoerr.Error) error {
	return echoerr.Send(c, e.Code, echo.MIMETextPlainCharsetUTF8, []byte(e.Name+": "+e.Description+"\n"))
}

// TestCustomRendererWithSend: a user Renderer gets the canonical error and
// the prepared headers; Send writes no body for HEAD.
func TestCustomRendererWithSend(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(textRenderer{}))
	f.failWith("/x", echoerr.NewError(http.StatusConflict, "Taken."))
	f.E.HEAD("/x", func(echo.Context) error { return echoerr.NewError(http.StatusConflict, "Taken.") })
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, http.StatusConflict, rec.Code)
	assert.Equal(t, "Conflict: Taken.\n", rec.Body.String())
	assertContentLength(t, rec)
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	rec = f.do(http.MethodHead, "/x")
	assert.Equal(t, http.StatusConflict, rec.Code)
	assert.Empty(t, rec.Body.String())
	assert.Equal(t, "17", rec.Header().Get(echo.HeaderContentLength))
}
