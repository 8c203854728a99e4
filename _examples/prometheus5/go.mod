module github.com/echoerr/echoerr/_examples/prometheus5

go 1.26.0

require (
	github.com/echoerr/echoerr/httperr v0.1.0
	github.com/echoerr/echoerr/v5 v5.0.0
	github.com/labstack/echo/v5 v5.4.7
	github.com/prometheus/client_golang v1.25.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/echoerr/echoerr/internal/engine v0.1.0 // indirect
	github.com/kylelemons/godebug v1.1.0 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/prometheus/client_model v0.6.3 // indirect
	github.com/prometheus/common v0.72.0 // indirect
	github.com/prometheus/procfs v0.22.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/time v0.15.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)

replace github.com/echoerr/echoerr => ../..

replace github.com/echoerr/echoerr/internal/engine => ../../internal/engine

replace github.com/echoerr/echoerr/v5 => ../../v5

replace github.com/echoerr/echoerr/httperr => ../../httperr
