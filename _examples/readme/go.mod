module github.com/echoerr/echoerr/_examples/readme

go 1.26.0

require (
	github.com/echoerr/echoerr v0.0.0
	github.com/echoerr/echoerr/v5 v5.0.0
	github.com/go-playground/validator/v10 v10.30.6
	github.com/labstack/echo/v4 v4.16.6
	github.com/labstack/echo/v5 v5.4.7
)

require (
	github.com/echoerr/echoerr/httperr v0.1.0 // indirect
	github.com/echoerr/echoerr/internal/engine v0.1.0 // indirect
	github.com/gabriel-vasile/mimetype v1.4.16 // indirect
	github.com/go-playground/locales v0.14.2 // indirect
	github.com/go-playground/universal-translator v0.18.2 // indirect
	github.com/labstack/gommon v0.5.0 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace (
	github.com/echoerr/echoerr => ../..
	github.com/echoerr/echoerr/internal/engine => ../../internal/engine
	github.com/echoerr/echoerr/v5 => ../../v5
)

replace github.com/echoerr/echoerr/httperr => ../../httperr
