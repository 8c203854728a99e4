module github.com/echoerr/echoerr/v5

go 1.26.0

require (
	github.com/echoerr/echoerr/internal/engine v0.1.0
	github.com/labstack/echo/v5 v5.4.7
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/echoerr/echoerr/httperr v0.1.0
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/echoerr/echoerr/internal/engine => ../internal/engine

replace github.com/echoerr/echoerr/httperr => ../httperr
