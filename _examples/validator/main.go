// Command validator is a demo of echoerr with go-playground/validator as
// Echo's e.Validator: a request that fails validation is answered 422
// Unprocessable Content with the failing fields — field, rule, parameter
// and a readable message — as the "errors" member of a JSON or
// problem+json body, and listed on the HTML page for browsers. A
// programming error in validation (validator.InvalidValidationError) is a
// 500 like any other bug.
//
//	go run .    # http://127.0.0.1:8080/signup in a browser, or:
//	curl -i -d '{"name":"A","email":"nope","age":12}' -H 'Content-Type: application/json' http://127.0.0.1:8080/users
package main

import (
	"embed"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/echoerr/echoerr"
)

//go:embed templates/*.html
var templateFiles embed.FS

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	e := newServer()
	fmt.Printf("echoerr + validator demo on http://%s; try http://%s/signup in a browser, or:\n", *addr, *addr)
	fmt.Printf("  curl -i -d '{\"name\":\"A\",\"email\":\"nope\",\"age\":12}' -H 'Content-Type: application/json' http://%s/users\n", *addr)
	fmt.Printf("  curl -i -d '{\"name\":\"A\"}' -H 'Content-Type: application/json' -H 'Accept: application/problem+json' http://%s/users\n", *addr)
	log.Fatal(e.Start(*addr))
}

// newServer builds the demo application: validator as e.Validator, and
// echoerr answering its errors.
func newServer() *echo.Echo {
	return newServerWith(newErrorHandler())
}

// newErrorHandler is the application's echoerr handler. API clients get
// JSON (or problem+json when they ask for it), browsers the HTML pages,
// whose 422 page lists the fields; invalidFields turns validation errors
// into 422s.
func newErrorHandler(opts ...echoerr.Option) echo.HTTPErrorHandler {
	pages, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		panic(err)
	}
	return echoerr.New(append([]echoerr.Option{
		echoerr.WithRenderer(echoerr.Negotiate(
			echoerr.JSON(),
			echoerr.Problem(),
			echoerr.HTML(echoerr.TemplateFS(pages)),
		)),
		echoerr.OnType(invalidFields),
	}, opts...)...)
}

// newServerWith builds the demo application with the error handler h.
func newServerWith(h echo.HTTPErrorHandler) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Validator = newValidator()
	e.HTTPErrorHandler = h
	e.Use(middleware.RequestID())
	e.Use(echoerr.Middleware(h))
	e.Use(echoerr.Recover())
	addRoutes(e)
	return e
}

// signup is what a new user sends, as JSON or as a form.
type signup struct {
	Name     string  `json:"name" form:"name" validate:"required,min=2,max=64"`
	Email    string  `json:"email" form:"email" validate:"required,email"`
	Age      int     `json:"age" form:"age" validate:"gte=18,lte=130"`
	Password string  `json:"password" form:"password" validate:"required,min=12"`
	Address  address `json:"address"` // no form tag: Echo binds the form's "country" into it
}

type address struct {
	Country string `json:"country" form:"country" validate:"omitempty,iso3166_1_alpha2"`
}

func addRoutes(e *echo.Echo) {
	create := func(c echo.Context) error {
		var s signup
		if err := c.Bind(&s); err != nil {
			return err // a malformed body: Echo's 400
		}
		if err := c.Validate(&s); err != nil {
			return fmt.Errorf("sign up: %w", err) // validator.ValidationErrors, found through the wrap
		}
		return c.JSON(http.StatusCreated, map[string]string{"name": s.Name, "email": s.Email})
	}
	e.POST("/users", create)
	e.POST("/signup", create)
	e.GET("/signup", func(c echo.Context) error {
		return c.HTML(http.StatusOK, signupForm)
	})
	// A bug: validating something that is not a struct is
	// validator.InvalidValidationError, a 500.
	e.POST("/users/:id/check", func(c echo.Context) error {
		return c.Validate(c.Param("id"))
	})
}

const signupForm = `<!DOCTYPE html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign up</title>
<h1>Sign up</h1>
<form method="post" action="/signup">
<p><label>Name <input name="name"></label>
<p><label>Email <input name="email"></label>
<p><label>Age <input name="age" type="number" value="0"></label>
<p><label>Password <input name="password" type="password"></label>
<p><label>Country <input name="country" placeholder="DE"></label>
<p><button>Sign up</button>
</form>`
