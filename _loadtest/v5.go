package main

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v5"

	echoerr "github.com/echoerr/echoerr/v5"
)

// serverV5 is the Echo v5 server with handler; st, when not nil, is the
// storm mode, with the echoerr handler.
func serverV5(handler string, st *stormMode) http.Handler {
	e := echo.New()
	e.Logger = quiet
	switch handler {
	case "default":
		e.HTTPErrorHandler = echo.DefaultHTTPErrorHandler(false)
	case "echoerr":
		e.HTTPErrorHandler = echoerrV5(st)
	case "floor":
		html := capturePages(serverV5("echoerr", nil))
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
	for i := range failRoutes {
		e.GET("/fail/"+strconv.Itoa(i), func(*echo.Context) error { return errDB })
	}
	e.GET("/files/:name", func(c *echo.Context) error {
		return echo.NewHTTPError(http.StatusNotFound, "no such file: "+c.Param("name"))
	})
	return e
}

// echoerrV5 is echoerr with a discarding logger, or in storm mode st's.
func echoerrV5(st *stormMode) echo.HTTPErrorHandler {
	if st == nil {
		custom := echoerr.Negotiate(echoerr.JSON(), echoerr.HTML(echoerr.TemplateFS(userPages())))
		return echoerr.New(echoerr.WithLogger(quiet), echoerr.Group(customPrefix, echoerr.WithRenderer(custom)))
	}
	opts := []echoerr.Option{
		echoerr.WithLogger(st.logger()),
		echoerr.WithReporter(func(*echo.Context, *echoerr.Error) { st.report() }),
	}
	if st.limits {
		sc := &echoerr.StormControl{} // the recommended setting
		opts = append(opts, echoerr.WithStormControl(sc))
		st.flush = sc.Flush
	}
	h := echoerr.New(opts...)
	return func(c *echo.Context, err error) {
		h(c, err)
		status := 0 // not counted as reportable: the counts will not add up
		if r, uerr := echo.UnwrapResponse(c.Response()); uerr == nil {
			status = r.Status
		}
		st.handled(status)
	}
}
