package echoerr_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// customError is the json.Marshaler error of Echo's own test.
type customError struct{ s string }

func (ce *customError) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(`{"x":"%v"}`, ce.s)), nil
}
func (ce *customError) Error() string { return ce.s }

// echoTestRoutes registers the routes of Echo v4.16's TestDefaultHTTPErrorHandler.
func echoTestRoutes(t *testing.T, e *echo.Echo) {
	e.Any("/plain", func(c echo.Context) error {
		return errors.New("an error occurred")
	})
	e.Any("/badrequest", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusBadRequest, "Invalid request")
	})
	e.Any("/servererror", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusInternalServerError, map[string]interface{}{
			"code":    33,
			"message": "Something bad happened",
			"error":   "stackinfo",
		})
	})
	e.Any("/early-return", func(c echo.Context) error {
		require.NoError(t, c.String(http.StatusOK, "OK"))
		return errors.New("ERROR")
	})
	e.GET("/internal-error", func(c echo.Context) error {
		err := errors.New("internal error message body")
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	})
	e.GET("/error-in-httperror", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusBadRequest, errors.New("error in httperror"))
	})
	e.GET("/customerror-in-httperror", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusBadRequest, &customError{s: "custom error msg"})
	})
}

// TestEchoJSONMatchesEchoDefaultHTTPErrorHandler runs the cases of Echo
// v4.16's TestDefaultHTTPErrorHandler against EchoJSON, and checks each body
// against Echo's own handler too.
func TestEchoJSONMatchesEchoDefaultHTTPErrorHandler(t *testing.T) {
	testCases := []struct {
		name       string
		givenDebug bool
		whenPath   string
		expectCode int
		expectBody string
	}{
		{"with Debug=true plain response contains error message", true, "/plain",
			http.StatusInternalServerError, "{\n  \"error\": \"an error occurred\",\n  \"message\": \"Internal Server Error\"\n}\n"},
		{"with Debug=true special handling for HTTPError", true, "/badrequest",
			http.StatusBadRequest, "{\n  \"error\": \"code=400, message=Invalid request\",\n  \"message\": \"Invalid request\"\n}\n"},
		{"with Debug=true complex errors are serialized to pretty JSON", true, "/servererror",
			http.StatusInternalServerError, "{\n  \"code\": 33,\n  \"error\": \"stackinfo\",\n  \"message\": \"Something bad happened\"\n}\n"},
		{"with Debug=true if the body is already set HTTPErrorHandler should not add anything to response body", true, "/early-return",
			http.StatusOK, "OK"},
		{"with Debug=true internal error should be reflected in the message", true, "/internal-error",
			http.StatusBadRequest, "{\n  \"error\": \"code=400, message=Bad Request, internal=internal error message body\",\n  \"message\": \"Bad Request\"\n}\n"},
		{"with Debug=false the error response is shortened", false, "/plain",
			http.StatusInternalServerError, "{\"message\":\"Internal Server Error\"}\n"},
		{"with Debug=false the error response is shortened", false, "/badrequest",
			http.StatusBadRequest, "{\"message\":\"Invalid request\"}\n"},
		{"with Debug=false No difference for error response with non plain string errors", false, "/servererror",
			http.StatusInternalServerError, "{\"code\":33,\"error\":\"stackinfo\",\"message\":\"Something bad happened\"}\n"},
		{"with Debug=false when httpError contains an error", false, "/error-in-httperror",
			http.StatusBadRequest, "{\"message\":\"error in httperror\"}\n"},
		{"with Debug=false when httpError contains an error", false, "/customerror-in-httperror",
			http.StatusBadRequest, "{\"x\":\"custom error msg\"}\n"},
		{"with Debug=false unknown route", false, "/nope",
			http.StatusNotFound, "{\"message\":\"Not Found\"}\n"},
		{"with Debug=true unknown route", true, "/nope",
			http.StatusNotFound, "{\n  \"error\": \"code=404, message=Not Found\",\n  \"message\": \"Not Found\"\n}\n"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, echoerr.WithRenderer(echoerr.EchoJSON()))
			f.E.Debug = tc.givenDebug
			echoTestRoutes(t, f.E)
			rec := f.do(http.MethodGet, tc.whenPath)
			assert.Equal(t, tc.expectCode, rec.Code)
			assert.Equal(t, tc.expectBody, rec.Body.String())

			ref := echo.New()
			ref.Debug = tc.givenDebug
			echoTestRoutes(t, ref)
			want := serve(ref, http.MethodGet, tc.whenPath)
			assert.Equal(t, want.Body.String(), rec.Body.String(), "same body as Echo's DefaultHTTPErrorHandler")
			assert.Equal(t, want.Code, rec.Code)
		})
	}
}

func TestEchoJSONWrappedHTTPErrorKeepsStatus(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.EchoJSON()))
	f.failWith("/x", fmt.Errorf("lookup: %w", echo.NewHTTPError(http.StatusConflict, "already there")))
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, http.StatusConflict, rec.Code, "Echo would answer 500")
	assert.Equal(t, "{\"message\":\"already there\"}\n", rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
}

func TestEchoJSONMessageForEchoerrErrors(t *testing.T) {
	f := newFixture(t,
		echoerr.WithRenderer(echoerr.EchoJSON()),
		echoerr.OnCode(http.StatusForbidden, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "Members only."
			return fe
		}),
	)
	f.failWith("/gone", echoerr.NewError(http.StatusGone, ""))
	f.failWith("/user", echoerr.NotFound("No such user."))
	f.failWith("/deny", echo.NewHTTPError(http.StatusForbidden, "Forbidden"))
	assert.Equal(t, "{\"message\":\"Gone\"}\n", f.do(http.MethodGet, "/gone").Body.String())
	assert.Equal(t, "{\"message\":\"No such user.\"}\n", f.do(http.MethodGet, "/user").Body.String())
	assert.Equal(t, "{\"message\":\"Members only.\"}\n", f.do(http.MethodGet, "/deny").Body.String(),
		"a description set by a handler replaces Echo's message")
}

// upperSerializer is a JSONSerializer that writes its own format.
type upperSerializer struct{ echo.DefaultJSONSerializer }

func (upperSerializer) Serialize(c echo.Context, i interface{}, indent string) error {
	_, err := fmt.Fprintf(c.Response(), "CUSTOM:%v", i)
	return err
}

// failingSerializer writes part of a body, then fails.
type failingSerializer struct{ echo.DefaultJSONSerializer }

func (failingSerializer) Serialize(c echo.Context, i interface{}, indent string) error {
	_, _ = c.Response().Write([]byte(`{"message":`))
	return errors.New("serializer broke")
}

func TestEchoJSONUsesTheJSONSerializer(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.EchoJSON()))
	f.E.JSONSerializer = upperSerializer{}
	rec := f.do(http.MethodGet, "/nope")
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "CUSTOM:map[message:Not Found]", rec.Body.String())

	f.E.JSONSerializer = failingSerializer{}
	rec = f.do(http.MethodGet, "/nope")
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "404 Not Found\n", rec.Body.String(), "a failing serializer sends nothing of its output")
	recs := f.Log.Records()
	require.NotEmpty(t, recs)
	assert.Contains(t, attrs(recs[len(recs)-1])["render_error"], "serializer broke")
}

func TestEchoJSONPrettyAndHead(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.EchoJSON()))
	assert.Equal(t, "{\n  \"message\": \"Not Found\"\n}\n", f.do(http.MethodGet, "/nope?pretty").Body.String())

	rec := f.do(http.MethodHead, "/nope")
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Empty(t, rec.Body.String())
}

func TestEchoJSONDebugFollowsWithDebugAndRedacts(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(echoerr.EchoJSON()), echoerr.WithDebug(true))
	f.E.GET("/x", func(c echo.Context) error {
		return fmt.Errorf("auth with %s failed", c.Request().Header.Get("Authorization"))
	})
	rec := f.do(http.MethodGet, "/x", "Authorization: Bearer SECRET")
	body := rec.Body.String()
	assert.True(t, strings.HasPrefix(body, "{\n  \"error\": \"auth with [redacted] failed\""), body)
	assert.NotContains(t, body, "SECRET")
}
