module github.com/echoerr/echoerr/_examples/v5basic

go 1.26.0

require (
	github.com/echoerr/echoerr/v5 v5.0.0
	github.com/labstack/echo/v5 v5.4.7
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/echoerr/echoerr/httperr v0.1.0 // indirect
	github.com/echoerr/echoerr/internal/engine v0.1.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace (
	github.com/echoerr/echoerr/internal/engine => ../../internal/engine
	github.com/echoerr/echoerr/v5 => ../../v5
)

replace github.com/echoerr/echoerr/httperr => ../../httperr
