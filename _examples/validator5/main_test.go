package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	echoerr "github.com/echoerr/echoerr/v5"
)

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

const browser = "text/html,application/xhtml+xml,*/*;q=0.8"

// quiet makes e log nothing: echoerr logs through e.Logger by default.
func quiet(e *echo.Echo) *echo.Echo {
	e.Logger = slog.New(slog.DiscardHandler)
	return e
}

func do(e *echo.Echo, method, path, contentType, accept, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set(echo.HeaderContentType, contentType)
	}
	if accept != "" {
		req.Header.Set(echo.HeaderAccept, accept)
	}
	res := httptest.NewRecorder()
	e.ServeHTTP(res, req)
	return res
}

func post(e *echo.Echo, path, contentType, accept, body string) *httptest.ResponseRecorder {
	return do(e, http.MethodPost, path, contentType, accept, body)
}

func get(e *echo.Echo, path, accept string) *httptest.ResponseRecorder {
	return do(e, http.MethodGet, path, "", accept, "")
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
	e := quiet(newServer())
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
	e := quiet(newServer())
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
	e := quiet(newServer())
	form := url.Values{"name": {"A"}, "email": {"nope"}, "age": {"12"}, "password": {"hunter2"}, "country": {"XX"}}
	res := post(e, "/signup", echo.MIMEApplicationForm, browser, form.Encode())
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
	e := quiet(newServer())
	type noTags struct {
		Title string `validate:"required"`
	}
	e.POST("/untagged", func(c *echo.Context) error { return c.Validate(&noTags{}) })
	res := post(e, "/untagged", echo.MIMEApplicationJSON, "", "{}")
	require.Equal(t, http.StatusUnprocessableEntity, res.Code)
	_, fields := body(t, res)
	assert.Equal(t, []FieldError{{Field: "Title", Rule: "required", Message: "Title is a required field"}}, fields)
}

func TestInvalidValidationErrorIs500(t *testing.T) {
	var reported []*echoerr.Error
	e := quiet(newServerWith(newErrorHandler(
		echoerr.WithReporter(func(_ *echo.Context, fe *echoerr.Error) { reported = append(reported, fe) }),
	)))
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

// bindingCases are values Echo v5's typed binders cannot parse: each is an
// *echo.BindingError, which echoerr's v5 face answers with 400 and the
// member "field".
var bindingCases = []struct {
	name, path, field, value string
}{
	{"echo.PathParam", "/users/abc", "id", "abc"},
	{"echo.QueryParamOr", "/users/1?page=first", "page", "first"},
	{"echo.QueryParamsBinder", "/users?limit=ten", "limit", "ten"},
}

func TestBindingErrorsAre400NamingTheField(t *testing.T) {
	e := quiet(newServer())
	for _, tc := range bindingCases {
		t.Run(tc.name, func(t *testing.T) {
			res := get(e, tc.path, "")
			require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())
			assert.Equal(t, echo.MIMEApplicationJSON, res.Header().Get(echo.HeaderContentType))
			m, _ := body(t, res)
			assert.Equal(t, float64(400), m["code"])
			assert.Equal(t, "Bad Request", m["name"])
			assert.NotEmpty(t, m["description"])
			assert.Equal(t, tc.field, m["field"], res.Body.String())
			assert.NotContains(t, res.Body.String(), tc.value, "the value sent is echoed back")
		})
	}
}

func TestBindingErrorsAre400NamingTheFieldInProblemJSON(t *testing.T) {
	e := quiet(newServer())
	for _, tc := range bindingCases {
		t.Run(tc.name, func(t *testing.T) {
			res := get(e, tc.path, "application/problem+json")
			require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())
			assert.Equal(t, "application/problem+json", res.Header().Get(echo.HeaderContentType))
			m, _ := body(t, res)
			assert.Equal(t, float64(400), m["status"])
			assert.Equal(t, "Bad Request", m["title"])
			assert.Equal(t, tc.field, m["field"], res.Body.String())
		})
	}
}

// TestBindingErrorsNameTheFieldOnTheHTMLPage: the 400 page
// (templates/400.html) names the field from PageData.Extensions.
func TestBindingErrorsNameTheFieldOnTheHTMLPage(t *testing.T) {
	e := quiet(newServer())
	for _, tc := range bindingCases {
		t.Run(tc.name, func(t *testing.T) {
			res := get(e, tc.path, browser)
			require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())
			assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, res.Header().Get(echo.HeaderContentType))
			assert.Contains(t, res.Body.String(), `<p class="field">Check the field <code>`+tc.field+`</code>.</p>`)
		})
	}
}

func TestWrongJSONTypeIs400NamingTheField(t *testing.T) {
	e := quiet(newServer())
	for _, tc := range []struct {
		body, field, description string
	}{
		{`{"age":"old"}`, "age", "The field age must be of type number."},
		{`{"address":{"country":49}}`, "address.country", "The field address.country must be of type string."},
	} {
		res := post(e, "/users", echo.MIMEApplicationJSON, "", tc.body)
		require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())
		m, _ := body(t, res)
		assert.Equal(t, tc.field, m["field"], tc.body)
		assert.Equal(t, tc.description, m["description"], tc.body)
		assert.NotContains(t, res.Body.String(), "old", "the value sent is echoed back")
	}
}

func TestValidAndMalformedRequests(t *testing.T) {
	e := quiet(newServer())
	res := post(e, "/users", echo.MIMEApplicationJSON, "",
		`{"name":"Ada","email":"ada@example.com","age":36,"password":"correct horse battery"}`)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())

	res = post(e, "/users", echo.MIMEApplicationJSON, "", `{"name":`)
	require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())
	m, fields := body(t, res)
	assert.Empty(t, fields)
	assert.Nil(t, m["field"])

	res = post(e, "/users", echo.MIMEApplicationJSON, "", `["not","an","object"]`)
	require.Equal(t, http.StatusBadRequest, res.Code, res.Body.String())

	res = get(e, "/users/7?page=3", "")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	assert.JSONEq(t, `{"id":7,"page":3}`, res.Body.String())
	res = get(e, "/users?limit=5", "")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	assert.JSONEq(t, `{"limit":5}`, res.Body.String())
}

// TestWithoutTheHandlerValidationErrorsAre500 is the control: without
// OnType(invalidFields), validator's errors are unknown errors to echoerr
// (as to Echo's default handler): a 500 without the fields.
func TestWithoutTheHandlerValidationErrorsAre500(t *testing.T) {
	e := quiet(newServerWith(echoerr.New(echoerr.WithRenderer(echoerr.JSON()))))
	res := post(e, "/users", echo.MIMEApplicationJSON, "", invalidJSON)
	assert.Equal(t, http.StatusInternalServerError, res.Code)
	_, fields := body(t, res)
	assert.Empty(t, fields)
}

// TestWithoutTheHandlerEchosBodyErrorNamesNoField is the control for
// wrongJSONType: Echo v5's binder answers a JSON value of the wrong type
// with echo.ErrBadRequest wrapping the decoder's error, whose public text
// names no field.
func TestWithoutTheHandlerEchosBodyErrorNamesNoField(t *testing.T) {
	e := quiet(newServerWith(echoerr.New(echoerr.WithRenderer(echoerr.JSON()))))
	res := post(e, "/users", echo.MIMEApplicationJSON, "", `{"age":"old"}`)
	require.Equal(t, http.StatusBadRequest, res.Code)
	m, _ := body(t, res)
	assert.Nil(t, m["field"])
	assert.NotContains(t, res.Body.String(), "age")
}
