package main

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// serverV4 is the Echo v4 server with handler; st, when not nil, is the
// storm mode, with the echoerr handler.
func serverV4(handler string, st *stormMode) http.Handler {
	e := echo.New()
	switch handler {
	case "default":
		e.HTTPErrorHandler = e.DefaultHTTPErrorHandler
	case "echoerr":
		e.HTTPErrorHandler = echoerrV4(st)
	case "floor":
		html := capturePages(serverV4("echoerr", nil))
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
	for i := range failRoutes {
		e.GET("/fail/"+strconv.Itoa(i), func(echo.Context) error { return errDB })
	}
	e.GET("/files/:name", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusNotFound, "no such file: "+c.Param("name"))
	})
	return e
}

// echoerrV4 is echoerr with a discarding logger, or in storm mode st's.
func echoerrV4(st *stormMode) echo.HTTPErrorHandler {
	if st == nil {
		custom := echoerr.Negotiate(echoerr.JSON(), echoerr.HTML(echoerr.TemplateFS(userPages())))
		return echoerr.New(echoerr.WithLogger(quiet), echoerr.Group(customPrefix, echoerr.WithRenderer(custom)))
	}
	opts := []echoerr.Option{
		echoerr.WithLogger(st.logger()),
		echoerr.WithReporter(func(echo.Context, *echoerr.Error) { st.report() }),
	}
	if st.limits {
		sc := &echoerr.StormControl{} // the recommended setting
		opts = append(opts, echoerr.WithStormControl(sc))
		st.flush = sc.Flush
	}
	h := echoerr.New(opts...)
	return func(err error, c echo.Context) {
		h(err, c)
		st.handled(c.Response().Status)
	}
}
