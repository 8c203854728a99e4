module github.com/echoerr/echoerr/internal/engine

go 1.25.0

require github.com/stretchr/testify v1.12.1

require (
	github.com/echoerr/echoerr/httperr v0.1.0
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/echoerr/echoerr/httperr => ../../httperr
