module github.com/echoerr/echoerr/_examples/validator5

go 1.26.0

require (
	github.com/echoerr/echoerr/v5 v5.0.0
	github.com/go-playground/locales v0.14.2
	github.com/go-playground/universal-translator v0.18.2
	github.com/go-playground/validator/v10 v10.30.6
	github.com/labstack/echo/v5 v5.4.7
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/echoerr/echoerr/httperr v0.1.0 // indirect
	github.com/echoerr/echoerr/internal/engine v0.1.0 // indirect
	github.com/gabriel-vasile/mimetype v1.4.16 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/echoerr/echoerr => ../..

replace github.com/echoerr/echoerr/internal/engine => ../../internal/engine

replace github.com/echoerr/echoerr/v5 => ../../v5

replace github.com/echoerr/echoerr/httperr => ../../httperr
