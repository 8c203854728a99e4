module github.com/echoerr/echoerr/v5

go 1.25.0

require (
	github.com/echoerr/echoerr/internal/engine v0.1.0
	github.com/labstack/echo/v5 v5.4.4
)

replace github.com/echoerr/echoerr/internal/engine => ../internal/engine
