module github.com/echoerr/echoerr/_examples/sentry5

go 1.26.0

require (
	github.com/echoerr/echoerr/httperr v0.1.0
	github.com/echoerr/echoerr/v5 v5.0.0
	github.com/getsentry/sentry-go v0.46.2
	github.com/getsentry/sentry-go/echo v0.46.2
	github.com/labstack/echo/v5 v5.4.7
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/echoerr/echoerr/internal/engine v0.1.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/echoerr/echoerr => ../..

replace github.com/echoerr/echoerr/internal/engine => ../../internal/engine

replace github.com/echoerr/echoerr/v5 => ../../v5

replace github.com/echoerr/echoerr/httperr => ../../httperr
