package main

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

func serverV4(handler string) http.Handler {
	e := echo.New()
	switch handler {
	case "default":
		e.HTTPErrorHandler = e.DefaultHTTPErrorHandler
	case "echoerr":
		e.HTTPErrorHandler = echoerr.New(echoerr.WithLogger(quiet))
	case "floor":
		html := capturePage(serverV4("echoerr"))
		e.HTTPErrorHandler = func(err error, c echo.Context) {
			code := http.StatusInternalServerError
			if err == echo.ErrNotFound {
				code = http.StatusNotFound
			}
			writeFloor(c.Response(), c.Request(), code, html)
		}
	}
	e.GET("/ok", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/fail", func(echo.Context) error { return errDB })
	return e
}
