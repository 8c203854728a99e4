module github.com/echoerr/echoerr/_examples/redislimit

go 1.26.0

replace github.com/echoerr/echoerr => ../..

replace github.com/echoerr/echoerr/internal/engine => ../../internal/engine

replace github.com/echoerr/echoerr/v5 => ../../v5

replace github.com/echoerr/echoerr/httperr => ../../httperr

require (
	github.com/echoerr/echoerr v0.0.0
	github.com/echoerr/echoerr/httperr v0.1.0
	github.com/echoerr/echoerr/v5 v5.0.0
	github.com/labstack/echo/v4 v4.16.6
	github.com/labstack/echo/v5 v5.4.7
	github.com/redis/go-redis/v9 v9.23.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/echoerr/echoerr/internal/engine v0.1.0 // indirect
	github.com/labstack/gommon v0.5.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)
