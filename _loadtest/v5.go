package main

import (
	"net/http"

	"github.com/labstack/echo/v5"

	echoerr "github.com/echoerr/echoerr/v5"
)

func serverV5(handler string) http.Handler {
	e := echo.New()
	e.Logger = quiet
	switch handler {
	case "default":
		e.HTTPErrorHandler = echo.DefaultHTTPErrorHandler(false)
	case "echoerr":
		e.HTTPErrorHandler = echoerr.New(echoerr.WithLogger(quiet))
	case "floor":
		html := capturePage(serverV5("echoerr"))
		e.HTTPErrorHandler = func(c *echo.Context, err error) {
			code := http.StatusInternalServerError
			if err == echo.ErrNotFound {
				code = http.StatusNotFound
			}
			writeFloor(c.Response(), c.Request(), code, html)
		}
	}
	e.GET("/ok", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/fail", func(*echo.Context) error { return errDB })
	return e
}
