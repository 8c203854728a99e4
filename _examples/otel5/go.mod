module github.com/echoerr/echoerr/_examples/otel5

go 1.26.0

require (
	github.com/echoerr/echoerr/httperr v0.1.0
	github.com/echoerr/echoerr/v5 v5.0.0
	github.com/labstack/echo/v5 v5.4.7
	github.com/stretchr/testify v1.12.1
	go.opentelemetry.io/otel v1.47.0
	go.opentelemetry.io/otel/exporters/stdout/stdouttrace v1.47.0
	go.opentelemetry.io/otel/sdk v1.47.0
	go.opentelemetry.io/otel/trace v1.47.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/echoerr/echoerr/internal/engine v0.1.0 // indirect
	github.com/go-logr/logr v1.4.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/otel/log v1.47.0 // indirect
	go.opentelemetry.io/otel/metric v1.47.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/echoerr/echoerr => ../..

replace github.com/echoerr/echoerr/internal/engine => ../../internal/engine

replace github.com/echoerr/echoerr/v5 => ../../v5

replace github.com/echoerr/echoerr/httperr => ../../httperr
