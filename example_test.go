package echoerr_test

import (
	"database/sql"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing/fstest"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// Each example serves requests through a real *echo.Echo and prints what
// the client gets. Errors are logged through slog.Default(), that is to
// standard error, which the examples' output leaves out.

// A minimal application: New without options answers every error with the
// right status and a body in the client's format, JSON for API clients and
// curl (here), HTML pages for browsers. A wrapped *echo.HTTPError keeps its
// status, and an unknown error is a 500 whose text stays in the log.
func ExampleNew() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	e.GET("/users/:id", func(c echo.Context) error {
		return fmt.Errorf("load user %s: %w", c.Param("id"), echo.NewHTTPError(http.StatusGone, "That user left."))
	})
	e.GET("/boom", func(c echo.Context) error {
		return errors.New("pq: connection refused")
	})

	for _, target := range []string{"/nowhere", "/users/7", "/boom"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 404
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
	// 410
	// {"code":410,"name":"Gone","description":"That user left."}
	// 500
	// {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
}

// A handler for one status, Flask's @app.errorhandler(404). It adjusts the
// response by returning a modified canonical error, which is then rendered
// as usual.
func ExampleOnCode() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.OnCode(http.StatusNotFound, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "Nothing lives at " + c.Request().URL.Path + "."
			return fe
		}),
	)

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404
	// {"code":404,"name":"Not Found","description":"Nothing lives at /nowhere."}
}

// A handler for a range of statuses: here every server error gets the same
// public text, whatever the route said. When ranges overlap, the narrowest
// one wins.
func ExampleOnRange() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.OnRange(500, 599, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Description = "Something went wrong on our side. We are looking into it."
			return fe
		}),
	)
	e.GET("/boom", func(c echo.Context) error { return errors.New("nil map") })
	e.GET("/upstream", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusBadGateway, "billing.internal:8443 refused the connection")
	})

	for _, target := range []string{
		"/boom",
		"/upstream",
		"/nowhere", // a 4xx: not in the range
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 500
	// {"code":500,"name":"Internal Server Error","description":"Something went wrong on our side. We are looking into it."}
	// 502
	// {"code":502,"name":"Bad Gateway","description":"Something went wrong on our side. We are looking into it."}
	// 404
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}

// A sentinel error, wherever it sits in the chain, can be answered with a
// status of its own: here a missing row becomes a 404.
func ExampleOnError() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.OnError(sql.ErrNoRows, func(c echo.Context, err error) error {
			return echoerr.NotFound("No such order.")
		}),
	)
	e.GET("/orders/:id", func(c echo.Context) error {
		return fmt.Errorf("load order %s: %w", c.Param("id"), sql.ErrNoRows)
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders/12", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404
	// {"code":404,"name":"Not Found","description":"No such order."}
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

// Description is the public text (httperr.Describer).
func (e *InvalidAPIUsage) Description() string { return e.Message }

// Extensions adds the payload to the body (httperr.Extender).
func (e *InvalidAPIUsage) Extensions() map[string]any { return e.Payload }

// A custom error type supplies its status, public text and extra members
// through small optional interfaces; no handler is needed to render it.
// Registering one by type (Flask's @app.errorhandler(InvalidAPIUsage))
// works as well, and comes before any handler by code.
func ExampleOnType() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
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

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/user", nil))
	fmt.Println(rec.Code)
	fmt.Println("X-API-Error:", rec.Header().Get("X-API-Error"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/user?user_id=420", nil))
	fmt.Println(rec.Code)
	fmt.Println("X-API-Error:", rec.Header().Get("X-API-Error"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 400
	// X-API-Error: 1
	// {"code":400,"name":"Bad Request","description":"No user id provided!"}
	// 404
	// X-API-Error: 1
	// {"code":404,"name":"Not Found","description":"No such user!","user_id":"420"}
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
		echoerr.OnType(func(c echo.Context, err *InsufficientStorage) error {
			fmt.Println("handle_507 ran")
			return nil
		}),
	)
	e.GET("/upload", func(c echo.Context) error {
		return fmt.Errorf("store upload: %w", &InsufficientStorage{})
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/upload", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// handle_507 ran
	// 507
	// {"code":507,"name":"Insufficient Storage","description":"Not enough storage space."}
}

// Maintenance is an error that carries a response header of its own
// (httperr.Headerer).
type Maintenance struct{ Until time.Time }

func (m *Maintenance) Error() string { return "down for maintenance" }

// StatusCode is 503.
func (m *Maintenance) StatusCode() int { return http.StatusServiceUnavailable }

// Header asks clients to come back when the maintenance is over.
func (m *Maintenance) Header() http.Header {
	return http.Header{"Retry-After": {m.Until.UTC().Format(http.TimeFormat)}}
}

// An error type adds response headers through a Header method.
func Example_headerer() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	e.GET("/", func(c echo.Context) error {
		return &Maintenance{Until: time.Date(2030, 1, 2, 3, 0, 0, 0, time.UTC)}
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	fmt.Println(rec.Code)
	fmt.Println("Retry-After:", rec.Header().Get("Retry-After"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 503
	// Retry-After: Wed, 02 Jan 2030 03:00:00 GMT
	// {"code":503,"name":"Service Unavailable","description":"The service is temporarily unavailable. Try again later."}
}

// A handler for every HTTP error, Flask's @app.errorhandler(HTTPException):
// any error whose chain holds a status carrier (an *echo.HTTPError, an
// *echoerr.Error, a type with StatusCode) — here written in a JSON shape of
// the application's own. An unknown error is not an HTTP error: it gets
// the default 500.
func ExampleOnHTTPError() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.OnHTTPError(func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			return c.JSON(fe.Code, map[string]any{"error": fe.Name, "detail": fe.Description})
		}),
	)
	e.GET("/limited", func(c echo.Context) error { return echo.ErrTooManyRequests })
	e.GET("/boom", func(c echo.Context) error { return errors.New("nil map") })

	for _, target := range []string{"/limited", "/boom"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 429
	// {"detail":"Too many requests were sent in a given amount of time. Try again later.","error":"Too Many Requests"}
	// 500
	// {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
}

// A catch-all, Flask's @app.errorhandler(Exception). It runs only for
// errors no more specific handler took: here not for the 404. To observe
// every error (metrics, tracing), use WithReporter with a filter or
// Middleware instead.
func ExampleOnAny() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.OnCode(http.StatusNotFound, func(c echo.Context, err error) error {
			return echoerr.NotFound("No such page.")
		}),
		echoerr.OnAny(func(c echo.Context, err error) error {
			fmt.Println("catch-all:", err)
			return c.String(echoerr.StatusOf(err), "Sorry, that did not work.")
		}),
	)
	e.GET("/boom", func(c echo.Context) error { return errors.New("nil map") })

	for _, target := range []string{"/boom", "/nowhere"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// catch-all: nil map
	// 500
	// Sorry, that did not work.
	// 404
	// {"code":404,"name":"Not Found","description":"No such page."}
}

// Handlers may decline with Pass: the next candidate down the precedence
// ladder is tried.
func ExamplePass() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.OnCode(http.StatusNotFound, func(c echo.Context, err error) error {
			if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
				return echoerr.Pass
			}
			return echoerr.NewError(http.StatusNotFound, "No such API endpoint.")
		}),
		echoerr.OnAny(func(c echo.Context, err error) error {
			return c.String(echoerr.StatusOf(err), "fallback")
		}),
	)

	for _, target := range []string{"/api/nope", "/page"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 404
	// {"code":404,"name":"Not Found","description":"No such API endpoint."}
	// 404
	// fallback
}

// One renderer for the whole application: an API that answers JSON even
// to browsers. Without WithRenderer, New negotiates by Accept.
func ExampleWithRenderer() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.JSON()))

	req := httptest.NewRequest(http.MethodGet, "/nowhere", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8") // a browser
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404
	// Content-Type: application/json
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}

// JSON writes the code, name and description, then the Extensions as extra
// members; an extension cannot replace the three canonical members.
func ExampleJSON() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.JSON()))
	e.POST("/signup", func(c echo.Context) error {
		fe := echoerr.NewError(http.StatusUnprocessableEntity, "The email address is not valid.")
		fe.Extensions = map[string]any{"field": "email", "code": "E_EMAIL"} // "code" is left out
		return fe
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/signup", nil))
	fmt.Println(rec.Code)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 422
	// Content-Type: application/json
	// {"code":422,"name":"Unprocessable Entity","description":"The email address is not valid.","field":"email"}
}

// HTML writes error pages with html/template. The built-in pages need no
// setup and no external assets; they look right on phones and desktops, in
// light and dark mode.
func ExampleHTML() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.HTML()))

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	_, title, _ := strings.Cut(rec.Body.String(), "<title>") // the page's title
	title, _, _ = strings.Cut(title, "</title>")
	fmt.Println(title)
	// Output:
	// 404 text/html; charset=UTF-8
	// 404 Not Found
}

// TemplateFS takes pages from a file system of your own before the
// built-in ones: 404.html for one status, 4xx.html for a class, error.html
// for everything; here an fstest.MapFS, in an application an embed.FS.
// A page is executed with a *PageData (.Code, .Name, .Description, .Path,
// ...); every string is escaped by html/template.
func ExampleTemplateFS() {
	pages := fstest.MapFS{
		"404.html": {Data: []byte(`<h1>Lost?</h1><p>{{.Description}} ({{.Path}})</p>`)},
		"4xx.html": {Data: []byte(`<h1>{{.Code}} {{.Name}}</h1><p>{{.Description}}</p>`)},
	}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.HTML(echoerr.TemplateFS(pages))))
	e.GET("/admin", func(c echo.Context) error { return echoerr.Forbidden("Admins only <3") })
	e.GET("/boom", func(c echo.Context) error { return errors.New("nil map") })

	for _, target := range []string{"/nowhere?q=<script>", "/admin"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	_, title, _ := strings.Cut(rec.Body.String(), "<title>")
	title, _, _ = strings.Cut(title, "</title>")
	fmt.Println(rec.Code, title) // no 5xx.html of our own: the built-in page
	// Output:
	// 404
	// <h1>Lost?</h1><p>The requested URL was not found on this server. (/nowhere)</p>
	// 403
	// <h1>403 Forbidden</h1><p>Admins only &lt;3</p>
	// 500 500 Internal Server Error
}

// TemplateFuncs gives the pages from TemplateFS functions of their own.
func ExampleTemplateFuncs() {
	pages := fstest.MapFS{
		"error.html": {Data: []byte(`<h1>{{upper .Name}}</h1>`)},
	}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.HTML(
		echoerr.TemplateFS(pages),
		echoerr.TemplateFuncs(template.FuncMap{"upper": strings.ToUpper}),
	)))

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404
	// <h1>NOT FOUND</h1>
}

// HomeLink sets where the built-in pages' home link points; "" removes it.
func ExampleHomeLink() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.HTML(echoerr.HomeLink("/shop/"))))

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code, strings.Contains(rec.Body.String(), `href="/shop/"`))
	// Output:
	// 404 true
}

// EditorLinks makes the debug page link each stack frame's file:line to an
// editor: here VS Code. (The stack of this panic starts in this file.)
func ExampleEditorLinks() {
	e := echo.New()
	e.Use(echoerr.Recover())
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithDebug(true), // the debug page: never in production
		echoerr.WithRenderer(echoerr.HTML(echoerr.EditorLinks("vscode://file/{path}:{line}"))),
	)
	e.GET("/orders/:id", func(c echo.Context) error { panic("order book not loaded") })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders/7", nil))
	_, rest, _ := strings.Cut(rec.Body.String(), `<a class="loc" href="`)
	link, _, _ := strings.Cut(rest, `"`) // vscode://file//home/you/shop/example_test.go:1234
	fmt.Println(rec.Code, strings.HasPrefix(link, "vscode://file/"), strings.Contains(link, "/example_test.go:"))
	// Output:
	// 500 true true
}

// Problem writes RFC 9457 problem details. ProblemType names the type of
// the problems with one status (the default type is about:blank);
// Extensions become extension members.
func ExampleProblem() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.Problem(
		echoerr.ProblemType(http.StatusPaymentRequired, "https://example.com/problems/out-of-credit"),
	)))
	e.POST("/orders", func(c echo.Context) error {
		fe := echoerr.NewError(http.StatusPaymentRequired, "Your balance is 30, but that costs 50.")
		fe.Extensions = map[string]any{"balance": 30}
		return fe
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/orders", nil))
	fmt.Println(rec.Code)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 402
	// Content-Type: application/problem+json
	// {"type":"https://example.com/problems/out-of-credit","title":"Payment Required","status":402,"detail":"Your balance is 30, but that costs 50.","instance":"/orders","balance":30}
	// 404
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"The requested URL was not found on this server.","instance":"/nowhere"}
}

// ProblemTypeFor names the problem type of an error type, wherever it sits
// in the chain.
func ExampleProblemTypeFor() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.Problem(
		echoerr.ProblemTypeFor[*InvalidAPIUsage]("https://example.com/problems/invalid-api-usage"),
	)))
	e.GET("/api/user", func(c echo.Context) error {
		return fmt.Errorf("user api: %w", &InvalidAPIUsage{Message: "No user id provided!"})
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/user", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 400
	// {"type":"https://example.com/problems/invalid-api-usage","title":"Bad Request","status":400,"detail":"No user id provided!","instance":"/api/user"}
}

// german holds the German name and description of some statuses.
var german = map[int][2]string{
	http.StatusNotFound: {"Nicht gefunden", "Diese Seite gibt es nicht."},
}

// translated is a Renderer that rewrites a copy of the error in the
// client's language, then has another renderer write it: translation for
// every format, not one.
type translated struct{ echoerr.Renderer }

func (t translated) Render(c echo.Context, fe *echoerr.Error) error {
	if text, ok := german[fe.Code]; ok && strings.HasPrefix(c.Request().Header.Get("Accept-Language"), "de") {
		de := *fe
		de.Name, de.Description = text[0], text[1]
		fe = &de
	}
	return t.Renderer.Render(c, fe)
}

// A Renderer that wraps another translates the text it writes, for
// instance by the client's Accept-Language.
func ExampleRenderer_translate() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(translated{echoerr.Problem()}))

	req := httptest.NewRequest(http.MethodGet, "/nowhere", nil)
	req.Header.Set("Accept-Language", "de-CH, de;q=0.9")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404
	// {"type":"about:blank","title":"Nicht gefunden","status":404,"detail":"Diese Seite gibt es nicht.","instance":"/nowhere"}
	// 404
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"The requested URL was not found on this server.","instance":"/nowhere"}
}

// Text writes plain text for terminals.
func ExampleText() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.Text()))

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404
	// Content-Type: text/plain; charset=UTF-8
	// 404 Not Found
	//
	// The requested URL was not found on this server.
}

// EchoJSON writes the bodies of Echo's own default handler, so an API can
// move to echoerr without its clients noticing — except that a wrapped
// *echo.HTTPError keeps its status, where Echo's handler answers 500.
func ExampleEchoJSON() {
	route := func(c echo.Context) error {
		return fmt.Errorf("create user: %w", echo.NewHTTPError(http.StatusConflict, "That name is taken."))
	}
	echos := echo.New() // Echo's own handler
	echos.GET("/users", route)
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.EchoJSON()))
	e.GET("/users", route)

	for _, app := range []*echo.Echo{echos, e} {
		for _, target := range []string{"/nowhere", "/users"} {
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
			fmt.Println(rec.Code)
			fmt.Println(strings.TrimSpace(rec.Body.String()))
		}
	}
	// Output:
	// 404
	// {"message":"Not Found"}
	// 500
	// {"message":"Internal Server Error"}
	// 404
	// {"message":"Not Found"}
	// 409
	// {"message":"That name is taken."}
}

// Negotiate picks a renderer by the request's Accept header; ties go to
// the order given, and a client that accepts none of them gets the first.
// This is what New does without WithRenderer, with Problem as well.
func ExampleNegotiate() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(
		echoerr.Negotiate(echoerr.JSON(), echoerr.HTML(), echoerr.Text()),
	))

	for _, accept := range []string{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", // a browser
		"*/*",        // curl
		"text/plain", // a terminal client
		"image/png",  // nothing acceptable: the first renderer
	} {
		req := httptest.NewRequest(http.MethodGet, "/nowhere", nil)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"), "|", rec.Header().Get("Vary"))
	}
	// Output:
	// 404 text/html; charset=UTF-8 | Accept
	// 404 application/json | Accept
	// 404 text/plain; charset=UTF-8 | Accept
	// 404 application/json | Accept
}

// xmlRenderer is a Renderer of one's own. Its MediaTypes method lets it
// take part in Negotiate.
type xmlRenderer struct{}

func (xmlRenderer) Render(c echo.Context, fe *echoerr.Error) error {
	body, err := xml.Marshal(struct {
		XMLName     xml.Name `xml:"error"`
		Code        int      `xml:"code,attr"`
		Description string   `xml:",chardata"`
	}{Code: fe.Code, Description: fe.Description})
	if err != nil {
		return err
	}
	return echoerr.Send(c, fe.Code, echo.MIMEApplicationXMLCharsetUTF8, body)
}

func (xmlRenderer) MediaTypes() []string { return []string{"application/xml"} }

// A custom Renderer builds its body, then writes it with Send, which takes
// care of HEAD and of statuses without a body.
func ExampleRenderer() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithRenderer(echoerr.Negotiate(echoerr.JSON(), xmlRenderer{})))

	req := httptest.NewRequest(http.MethodGet, "/nowhere", nil)
	req.Header.Set("Accept", "application/xml")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404
	// Content-Type: application/xml; charset=UTF-8
	// <error code="404">The requested URL was not found on this server.</error>
	// 404
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}

// WithLogger sets the slog.Logger errors are logged through, once per
// error: server errors at Error with the error and its chain (and a stack
// when the error carries one), client errors at Info. Without it,
// errors go to slog.Default(). Here a JSON handler writes to
// standard output, without the time so that the output is stable.
func ExampleWithLogger() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithLogger(logger))
	e.GET("/orders/:id", func(c echo.Context) error {
		return fmt.Errorf("load order: %w", errors.New("connection refused"))
	})

	for _, target := range []string{"/orders/7", "/nowhere"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// {"level":"ERROR","msg":"request failed","status":500,"method":"GET","path":"/orders/7","route":"/orders/:id","error":"load order: connection refused","chain":["*fmt.wrapError: load order: connection refused","*errors.errorString: connection refused"]}
	// 500
	// {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
	// {"level":"INFO","msg":"request failed","status":404,"method":"GET","path":"/nowhere","route":"","error":"code=404, message=Not Found"}
	// 404
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}

// The reporter (Sentry, say) is called once per server error, after the
// response was written; client errors are not reported unless
// WithReportFilter says so.
func ExampleWithReporter() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			fmt.Printf("report: %d %s: %v\n", fe.Code, c.Path(), fe.Err)
		}),
	)
	e.GET("/pay", func(c echo.Context) error {
		return fmt.Errorf("charge card: %w", errors.New("gateway timeout"))
	})

	for _, target := range []string{"/pay", "/nowhere"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// report: 500 /pay: charge card: gateway timeout
	// 500
	// {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
	// 404
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}

// WithReportFilter decides what is reported: here server errors and
// forbidden requests, which may be an attack, but no other client error.
func ExampleWithReportFilter() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			fmt.Println("report:", fe.Code, fe.Description)
		}),
		echoerr.WithReportFilter(func(fe *echoerr.Error) bool {
			return fe.Code >= 500 || fe.Code == http.StatusForbidden
		}),
	)
	e.GET("/admin", func(c echo.Context) error { return echoerr.Forbidden("Admins only.") })

	for _, target := range []string{"/admin", "/nowhere"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// report: 403 Admins only.
	// 403
	// {"code":403,"name":"Forbidden","description":"Admins only."}
	// 404
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}

// In debug mode responses show the error chain and the request line (and
// the stack, when an error carries one), with the values of secret headers
// redacted. Without WithDebug, debug mode follows Echo's e.Debug.
func ExampleWithDebug() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithDebug(true),
		echoerr.WithRenderer(echoerr.JSON()),
	)
	e.GET("/orders", func(c echo.Context) error {
		return fmt.Errorf("list orders: %w", errors.New("connection refused"))
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 500
	// {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request.","debug":{"chain":[{"type":"*fmt.wrapError","message":"list orders: connection refused"},{"type":"*errors.errorString","message":"connection refused"}],"request":"GET /orders HTTP/1.1"}}
}

// AppModules names modules of your own besides the main module, such as a
// module of shared handlers: the debug page shows their frames open, with
// their source, as the application's, and folds echoerr's, Echo's and the
// standard library's. Here a renderer prints where the debug detail locates
// an error that carries no stack: at the handler Echo ran for the route.
func ExampleAppModules() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.AppModules("example.com/shared"),
		echoerr.WithDebug(true),
		echoerr.WithRenderer(handlerPrinter{}),
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
	)
	e.GET("/orders", listOrders)

	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/orders", nil))
	// Output:
	// GET /orders failed in github.com/echoerr/echoerr_test.listOrders, the application's code: true
}

// listOrders is a route's handler.
func listOrders(c echo.Context) error { return errors.New("connection refused") }

// handlerPrinter is a renderer that prints the route's handler.
type handlerPrinter struct{}

func (handlerPrinter) Render(c echo.Context, e *echoerr.Error) error {
	h := e.Debug.Handler
	fmt.Printf("%s %s failed in %s, the application's code: %v\n", c.Request().Method, c.Path(), h.Function, h.App)
	return c.NoContent(e.Code)
}

// Group gives a URL prefix handlers and a renderer of its own: here an API
// that answers problem+json beside a site of HTML pages. The group also
// sees the router's 404 and 405 for URLs under its prefix.
func ExampleGroup() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithRenderer(echoerr.HTML()),
		echoerr.Group("/api",
			echoerr.WithRenderer(echoerr.Problem()),
			echoerr.OnCode(http.StatusNotFound, func(c echo.Context, err error) error {
				return echoerr.NotFound("No such API endpoint.")
			}),
		),
	)
	e.GET("/api/users", func(c echo.Context) error { return c.JSON(http.StatusOK, []string{"ada"}) })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/nowhere", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/api/users", nil))
	fmt.Println(rec.Code)
	fmt.Println("Allow:", rec.Header().Get("Allow"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 404 text/html; charset=UTF-8
	// 404
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"No such API endpoint.","instance":"/api/nowhere"}
	// 405
	// Allow: OPTIONS, GET
	// {"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"This method is not allowed for the requested URL.","instance":"/api/users","allow":"OPTIONS, GET"}
}

// Host gives a host name handlers and a renderer of its own; "*.example.com"
// would cover every subdomain.
func ExampleHost() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithRenderer(echoerr.Text()),
		echoerr.Host("api.example.com", echoerr.WithRenderer(echoerr.JSON())),
	)

	for _, host := range []string{"api.example.com", "www.example.com"} {
		req := httptest.NewRequest(http.MethodGet, "/nowhere", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		fmt.Println(host, rec.Code, rec.Header().Get("Content-Type"))
	}
	// Output:
	// api.example.com 404 application/json
	// www.example.com 404 text/plain; charset=UTF-8
}

// Middleware handles a route's error inside the middleware chain, so that
// middleware registered before it (access logs, metrics, tracing) sees the
// status the client got instead of an error.
func ExampleMiddleware() {
	h := echoerr.New()
	e := echo.New()
	e.HTTPErrorHandler = h // errors raised outside the chain
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			fmt.Println("metrics:", c.Request().Method, c.Path(), c.Response().Status, err)
			return err
		}
	})
	e.Use(echoerr.Middleware(h))
	e.GET("/orders/:id", func(c echo.Context) error { return echoerr.NotFound("No such order.") })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders/7", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// metrics: GET /orders/:id 404 <nil>
	// 404
	// {"code":404,"name":"Not Found","description":"No such order."}
}

// FromError gives the canonical view of any error; the text of an unknown
// error stays internal.
func ExampleFromError() {
	fe := echoerr.FromError(fmt.Errorf("reading config: %w", errors.New("open /etc/app.yaml: permission denied")))
	fmt.Println(fe.Code, fe.Name)
	fmt.Println(fe.Description)
	fmt.Println(fe.Err)

	fe = echoerr.FromError(fmt.Errorf("find user: %w", echo.NewHTTPError(http.StatusNotFound, "No such user.")))
	fmt.Println(fe.Code, fe.Name)
	fmt.Println(fe.Description)
	// Output:
	// 500 Internal Server Error
	// The server encountered an internal error and could not complete the request.
	// reading config: open /etc/app.yaml: permission denied
	// 404 Not Found
	// No such user.
}

// StatusOf gives middleware (metrics, tracing, access logs) the status the
// handler answers an error with.
func ExampleStatusOf() {
	fmt.Println(echoerr.StatusOf(fmt.Errorf("find: %w", echo.ErrNotFound)))
	fmt.Println(echoerr.StatusOf(&InvalidAPIUsage{Message: "No user id provided!"}))
	fmt.Println(echoerr.StatusOf(errors.New("boom")))
	// Output:
	// 404
	// 400
	// 500
}

// An *Error is the canonical form of every error. Built by hand it needs
// only a Code: the name and default description are filled in. A handler
// that changes only the Code of FromError(err) gets the new code's name and
// description too.
func ExampleError() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.OnCode(http.StatusForbidden, func(c echo.Context, err error) error {
			fe := echoerr.FromError(err)
			fe.Code = http.StatusNotFound // hide that the page exists
			return fe
		}),
	)
	e.GET("/quota", func(c echo.Context) error {
		return &echoerr.Error{Code: http.StatusRequestEntityTooLarge, Err: errors.New("upload of 3 GB")}
	})
	e.GET("/secret", func(c echo.Context) error { return echo.ErrForbidden })

	for _, target := range []string{"/quota", "/secret"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 413
	// {"code":413,"name":"Request Entity Too Large","description":"The request body is larger than the server will process."}
	// 404
	// {"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}
}

// NewError is Flask's abort(code, description): an error with a status and
// public text. An empty description means the status's default one. Its
// Header and Extensions can be set before it is returned.
func ExampleNewError() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	e.GET("/coffee", func(c echo.Context) error {
		return echoerr.NewError(http.StatusTeapot, "")
	})
	e.GET("/legacy", func(c echo.Context) error {
		fe := echoerr.NewError(http.StatusGone, "This API version was retired; use /v2.")
		fe.Header = http.Header{"Link": {`</v2>; rel="successor-version"`}}
		fe.Extensions = map[string]any{"successor": "/v2"}
		return fe
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/coffee", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/legacy", nil))
	fmt.Println(rec.Code)
	fmt.Println("Link:", rec.Header().Get("Link"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 418
	// {"code":418,"name":"I'm a teapot","description":"The server refuses to brew coffee because it is a teapot."}
	// 410
	// Link: </v2>; rel="successor-version"
	// {"code":410,"name":"Gone","description":"This API version was retired; use /v2.","successor":"/v2"}
}

// Constructors for the common client errors take the public description.
func Example_constructors() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	for path, err := range map[string]*echoerr.Error{
		"/400": echoerr.BadRequest("The parameter 'limit' must be a number."),
		"/403": echoerr.Forbidden("Only the owner may delete this list."),
		"/404": echoerr.NotFound("There is no list 7."),
		"/409": echoerr.NewError(http.StatusConflict, "That name is taken."),
		"/422": echoerr.NewError(http.StatusUnprocessableEntity, "A list needs a name."),
	} {
		e.GET(path, func(c echo.Context) error { return err })
	}

	for _, path := range []string{"/400", "/403", "/404", "/409", "/422"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		fmt.Println(rec.Code)
		fmt.Println(strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 400
	// {"code":400,"name":"Bad Request","description":"The parameter 'limit' must be a number."}
	// 403
	// {"code":403,"name":"Forbidden","description":"Only the owner may delete this list."}
	// 404
	// {"code":404,"name":"Not Found","description":"There is no list 7."}
	// 409
	// {"code":409,"name":"Conflict","description":"That name is taken."}
	// 422
	// {"code":422,"name":"Unprocessable Entity","description":"A list needs a name."}
}

// Unauthorized takes the public description and the challenge sent as
// WWW-Authenticate, as RFC 9110 requires for a 401.
func ExampleUnauthorized() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	e.GET("/me", func(c echo.Context) error {
		return echoerr.Unauthorized("Sign in to see your profile.", `Bearer realm="api"`)
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/me", nil))
	fmt.Println(rec.Code)
	fmt.Println("WWW-Authenticate:", rec.Header().Get("WWW-Authenticate"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 401
	// WWW-Authenticate: Bearer realm="api"
	// {"code":401,"name":"Unauthorized","description":"Sign in to see your profile."}
}

// An *Error carries the headers its status needs in Header, such as the
// Allow of a 405.
func ExampleError_header() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	e.Any("/reports", func(c echo.Context) error {
		if c.Request().Method != http.MethodPost {
			return &echoerr.Error{Code: http.StatusMethodNotAllowed, Header: http.Header{"Allow": {http.MethodPost}}}
		}
		return c.NoContent(http.StatusCreated)
	})

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/reports", nil))
	fmt.Println(rec.Code)
	fmt.Println("Allow:", rec.Header().Get("Allow"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 405
	// Allow: POST
	// {"code":405,"name":"Method Not Allowed","description":"This method is not allowed for the requested URL.","allow":"POST"}
}

// TooManyRequests sends Retry-After in whole seconds.
func ExampleTooManyRequests() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	e.GET("/search", func(c echo.Context) error { return echoerr.TooManyRequests("", 1500*time.Millisecond) })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/search", nil))
	fmt.Println(rec.Code)
	fmt.Println("Retry-After:", rec.Header().Get("Retry-After"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 429
	// Retry-After: 2
	// {"code":429,"name":"Too Many Requests","description":"Too many requests were sent in a given amount of time. Try again later."}
}

// ServiceUnavailable sends Retry-After in whole seconds.
func ExampleServiceUnavailable() {
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New()
	e.GET("/", func(c echo.Context) error { return echoerr.ServiceUnavailable("", time.Minute) })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	fmt.Println(rec.Code)
	fmt.Println("Retry-After:", rec.Header().Get("Retry-After"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// 503
	// Retry-After: 60
	// {"code":503,"name":"Service Unavailable","description":"The service is temporarily unavailable. Try again later."}
}

// Recover keeps the stack of a recovered panic with the error, so that it
// is logged (and shown in debug mode) once, by echoerr. The client gets a
// plain 500.
func ExampleRecover() {
	e := echo.New()
	e.Use(echoerr.Recover())
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			var st interface{ Stack() []byte }
			fmt.Println("report:", fe.Err, "| stack:", errors.As(fe.Err, &st) && len(st.Stack()) > 0)
		}),
	)
	e.GET("/panic", func(c echo.Context) error { panic("order 7 has no customer") })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/panic", nil))
	fmt.Println(rec.Code)
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// report: order 7 has no customer | stack: true
	// 500
	// {"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}
}
