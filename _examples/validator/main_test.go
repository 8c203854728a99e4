package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler)) // echoerr's log records: not under test here
	os.Exit(m.Run())
}

const invalidJSON = `{"name":"A","email":"nope","age":12,"password":"hunter2","address":{"country":"XX"}}`

// wantFields are the failing fields of invalidJSON, in the order of the
// struct's fields.
var wantFields = []FieldError{
	{Field: "name", Rule: "min", Param: "2", Message: "name must be at least 2 characters in length"},
	{Field: "email", Rule: "email", Param: "", Message: "email must be a valid email address"},
	{Field: "age", Rule: "gte", Param: "18", Message: "age must be 18 or greater"},
	{Field: "password", Rule: "min", Param: "12", Message: "password must be at least 12 characters in length"},
	{Field: "address.country", Rule: "iso3166_1_alpha2", Param: "", Message: "country does not satisfy iso3166_1_alpha2"},
}

func post(e *echo.Echo, path, contentType, accept, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set(echo.HeaderContentType, contentType)
	if accept != "" {
		req.Header.Set(echo.HeaderAccept, accept)
	}
	res := httptest.NewRecorder()
	e.ServeHTTP(res, req)
	return res
}

// body decodes a JSON response, with its "errors" member as FieldErrors.
func body(t *testing.T, res *httptest.ResponseRecorder) (map[string]any, []FieldError) {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(res.Body.Bytes(), &m), res.Body.String())
	var v struct {
		Errors []FieldError `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(res.Body.Bytes(), &v))
	return m, v.Errors
}

func TestValidationErrorsAre422WithTheFieldsInJSON(t *testing.T) {
	e := newServer()
	res := post(e, "/users", echo.MIMEApplicationJSON, "", invalidJSON)
	require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body.String())
	assert.Equal(t, echo.MIMEApplicationJSON, res.Header().Get(echo.HeaderContentType))
	m, fields := body(t, res)
	assert.Equal(t, float64(422), m["code"])
	assert.Equal(t, "Unprocessable Entity", m["name"])
	assert.Equal(t, "The request has invalid fields.", m["description"])
	assert.Equal(t, wantFields, fields)
	assert.NotContains(t, res.Body.String(), "hunter2", "a value the client sent is echoed back")
}

func TestValidationErrorsAre422WithTheFieldsInProblemJSON(t *testing.T) {
	e := newServer()
	res := post(e, "/users", echo.MIMEApplicationJSON, "application/problem+json", invalidJSON)
	require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body.String())
	assert.Equal(t, "application/problem+json", res.Header().Get(echo.HeaderContentType))
	m, fields := body(t, res)
	assert.Equal(t, "about:blank", m["type"])
	assert.Equal(t, "Unprocessable Entity", m["title"])
	assert.Equal(t, float64(422), m["status"])
	assert.Equal(t, "The request has invalid fields.", m["detail"])
	assert.Equal(t, "/users", m["instance"])
	assert.Equal(t, wantFields, fields)
}

// TestValidationErrorsAreListedOnTheHTMLPage posts the signup form as a
// browser does: the 422 page (templates/422.html, in the built-in layout)
// lists every failing field, from PageData.Extensions.
func TestValidationErrorsAreListedOnTheHTMLPage(t *testing.T) {
	e := newServer()
	form := url.Values{"name": {"A"}, "email": {"nope"}, "age": {"12"}, "password": {"hunter2"}, "country": {"XX"}}
	res := post(e, "/signup", echo.MIMEApplicationForm, "text/html,application/xhtml+xml,*/*;q=0.8", form.Encode())
	require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body.String())
	assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, res.Header().Get(echo.HeaderContentType))
	page := res.Body.String()
	assert.Contains(t, page, "<title>Please check the form</title>")
	assert.Contains(t, page, "The request has invalid fields.")
	for _, f := range wantFields {
		assert.Contains(t, page, `<li data-field="`+f.Field+`" data-rule="`+f.Rule+`"><code>`+f.Field+`</code>: `+f.Message+`</li>`)
	}
	assert.NotContains(t, page, "hunter2")
}

func TestValidationErrorsWithoutJSONTagsUseGoNames(t *testing.T) {
	e := newServer()
	type noTags struct {
		Title string `validate:"required"`
	}
	e.POST("/untagged", func(c echo.Context) error { return c.Validate(&noTags{}) })
	res := post(e, "/untagged", echo.MIMEApplicationJSON, "", "{}")
	require.Equal(t, http.StatusUnprocessableEntity, res.Code)
	_, fields := body(t, res)
	assert.Equal(t, []FieldError{{Field: "Title", Rule: "required", Message: "Title is a required field"}}, fields)
}

func TestInvalidValidationErrorIs500(t *testing.T) {
	var reported []*echoerr.Error
	e := newServerWith(newErrorHandler(
		echoerr.WithReporter(func(_ echo.Context, fe *echoerr.Error) { reported = append(reported, fe) }),
	))
	res := post(e, "/users/7/check", echo.MIMEApplicationJSON, "", "")
	require.Equal(t, http.StatusInternalServerError, res.Code)
	m, fields := body(t, res)
	assert.Equal(t, "Internal Server Error", m["name"])
	assert.Empty(t, fields)
	assert.NotContains(t, res.Body.String(), "validator:", "the bug's text reaches the client")
	require.Len(t, reported, 1, "a bug is reported")
	var invalid *validator.InvalidValidationError
	assert.True(t, errors.As(reported[0].Err, &invalid))
}

func TestValidAndMalformedRequests(t *testing.T) {
	e := newServer()
	res := post(e, "/users", echo.MIMEApplicationJSON, "",
		`{"name":"Ada","email":"ada@example.com","age":36,"password":"correct horse battery"}`)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())

	res = post(e, "/users", echo.MIMEApplicationJSON, "", `{"name":`)
	require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())
	_, fields := body(t, res)
	assert.Empty(t, fields)

	res = post(e, "/users", echo.MIMEApplicationJSON, "", `{"age":"old"}`)
	require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())
	assert.Contains(t, res.Body.String(), "field=age", "Echo's bind error names the field")
}

// TestWithoutTheHandlerValidationErrorsAre500 is the control: without
// OnType(invalidFields), validator's errors are unknown errors to echoerr
// (as to Echo's default handler): a 500 without the fields.
func TestWithoutTheHandlerValidationErrorsAre500(t *testing.T) {
	e := newServerWith(echoerr.New(echoerr.WithRenderer(echoerr.JSON())))
	res := post(e, "/users", echo.MIMEApplicationJSON, "", invalidJSON)
	assert.Equal(t, http.StatusInternalServerError, res.Code)
	_, fields := body(t, res)
	assert.Empty(t, fields)
}
