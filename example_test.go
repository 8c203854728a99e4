package echoerr_test

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// get serves GET target through e and prints the status and body.
func get(e *echo.Echo, target string) {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	fmt.Print(rec.Code, " ", rec.Body.String())
}

// Handlers by status code, by error type and a catch-all, as in Flask. A
// wrapped *echo.HTTPError keeps its status, and an unknown error is
// answered with a generic 500 that does not show its text.
func ExampleNew() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.OnCode(http.StatusNotFound, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "Nothing lives at " + c.Request().URL.Path + "."
			return fe
		}),
	)
	e.GET("/users/:id", func(c echo.Context) error {
		return fmt.Errorf("load user %s: %w", c.Param("id"), echo.NewHTTPError(http.StatusGone, "That user left."))
	})
	e.GET("/boom", func(c echo.Context) error {
		return errors.New("pq: connection refused")
	})

	get(e, "/nowhere")
	get(e, "/users/7")
	get(e, "/boom")
	// Output:
	// 404 {"code":404,"name":"Not Found","description":"Nothing lives at /nowhere."}
	// 410 {"code":410,"name":"Gone","description":"That user left."}
	// 500 {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
}

// InvalidAPIUsage is the custom exception of Flask's documentation
// ("Returning API Errors as JSON"), ported to Go: a message, a status code
// (400 unless given) and an optional payload.
type InvalidAPIUsage struct {
	Message string
	Code    int
	Payload map[string]any
}

func (e *InvalidAPIUsage) Error() string { return e.Message }

// StatusCode makes InvalidAPIUsage a status carrier.
func (e *InvalidAPIUsage) StatusCode() int {
	if e.Code == 0 {
		return http.StatusBadRequest
	}
	return e.Code
}

// Description is the public text (echoerr.Describer).
func (e *InvalidAPIUsage) Description() string { return e.Message }

// Extensions adds the payload to the body (echoerr.Extender).
func (e *InvalidAPIUsage) Extensions() map[string]any { return e.Payload }

// A custom error type supplies its status, public text and extra members
// through small optional interfaces; no handler is needed to render it.
// Registering one by type (Flask's @app.errorhandler(InvalidAPIUsage))
// works as well, and comes before any handler by code.
func ExampleOnType() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.OnType(func(c echo.Context, err *InvalidAPIUsage) error {
			c.Response().Header().Set("X-API-Error", "1")
			return nil // handled; the canonical error is rendered
		}),
	)
	e.GET("/api/user", func(c echo.Context) error {
		userID := c.QueryParam("user_id")
		if userID == "" {
			return &InvalidAPIUsage{Message: "No user id provided!"}
		}
		return &InvalidAPIUsage{Message: "No such user!", Code: http.StatusNotFound,
			Payload: map[string]any{"user_id": userID}}
	})

	get(e, "/api/user")
	get(e, "/api/user?user_id=420")
	// Output:
	// 400 {"code":400,"name":"Bad Request","description":"No user id provided!"}
	// 404 {"code":404,"name":"Not Found","description":"No such user!","user_id":"420"}
}

// InsufficientStorage is an HTTP error of one's own, like the subclass of
// werkzeug's HTTPException in Flask's documentation: a StatusCode method
// makes it a status carrier and a Description method gives its public text.
type InsufficientStorage struct{}

func (*InsufficientStorage) Error() string { return "insufficient storage" }

// StatusCode is 507.
func (*InsufficientStorage) StatusCode() int { return http.StatusInsufficientStorage }

// Description is the public text.
func (*InsufficientStorage) Description() string { return "Not enough storage space." }

// Defining an HTTP error of your own: a type with StatusCode (and, if it
// has public text, Description) is rendered with its status anywhere in an
// error chain, and handlers can be registered for it by type.
func Example_ownHTTPError() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.OnType(func(c echo.Context, err *InsufficientStorage) error {
			fmt.Println("handle_507 ran")
			return nil
		}),
	)
	e.GET("/upload", func(c echo.Context) error {
		return fmt.Errorf("store upload: %w", &InsufficientStorage{})
	})
	get(e, "/upload")
	// Output:
	// handle_507 ran
	// 507 {"code":507,"name":"Insufficient Storage","description":"Not enough storage space."}
}

// Handlers may decline with Pass: the next candidate down the precedence
// ladder is tried.
func ExamplePass() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.OnCode(http.StatusNotFound, func(c echo.Context, err error) error {
			if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
				return echoerr.Pass
			}
			return echoerr.NewError(http.StatusNotFound, "No such API endpoint.")
		}),
		echoerr.OnAny(func(c echo.Context, err error) error {
			return c.String(echoerr.StatusOf(err), "fallback\n")
		}),
	)
	get(e, "/api/nope")
	get(e, "/page")
	// Output:
	// 404 {"code":404,"name":"Not Found","description":"No such API endpoint."}
	// 404 fallback
}

// StatusOf gives middleware (metrics, tracing, access logs) the status the
// handler answers an error with.
func ExampleStatusOf() {
	fmt.Println(echoerr.StatusOf(fmt.Errorf("find: %w", echo.ErrNotFound)))
	fmt.Println(echoerr.StatusOf(errors.New("boom")))
	// Output:
	// 404
	// 500
}

// FromError gives the canonical view of any error; the text of an unknown
// error stays internal.
func ExampleFromError() {
	fe := echoerr.FromError(fmt.Errorf("reading config: %w", errors.New("open /etc/app.yaml: permission denied")))
	fmt.Println(fe.Code, fe.Name)
	fmt.Println(fe.Description)
	// Output:
	// 500 Internal Server Error
	// The server encountered an internal error and could not complete the request.
}

// Constructors for the common errors carry the headers the status needs.
func ExampleMethodNotAllowed() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithLogger(slog.New(slog.DiscardHandler)))
	e.GET("/reports", func(c echo.Context) error {
		return echoerr.MethodNotAllowed(http.MethodPost)
	})
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/reports", nil))
	fmt.Println(rec.Code, rec.Header().Get("Allow"))
	// Output:
	// 405 POST
}

// A sentinel error, wherever it sits in the chain, can be answered with a
// status of its own: here a missing row becomes a 404.
func ExampleOnError() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.OnError(sql.ErrNoRows, func(c echo.Context, err error) error {
			return echoerr.NotFound("No such order.")
		}),
	)
	e.GET("/orders/:id", func(c echo.Context) error {
		return fmt.Errorf("load order %s: %w", c.Param("id"), sql.ErrNoRows)
	})
	get(e, "/orders/12")
	// Output:
	// 404 {"code":404,"name":"Not Found","description":"No such order."}
}

// The reporter (Sentry, say) is called once per server error, after the
// response was written; client errors are not reported unless
// WithReportFilter says so.
func ExampleWithReporter() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			fmt.Printf("report: %d %s: %v\n", fe.Code, c.Path(), fe.Err)
		}),
	)
	e.GET("/pay", func(c echo.Context) error {
		return fmt.Errorf("charge card: %w", errors.New("gateway timeout"))
	})
	get(e, "/pay")
	get(e, "/nowhere")
	// Output:
	// report: 500 /pay: charge card: gateway timeout
	// 500 {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
	// 404 {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}
