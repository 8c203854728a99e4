// Package readme tests the repository's README.md: its complete Go
// programs build, every Go snippet of the documentation compiles or says it
// is a fragment (snippets_test.go), its run commands name demos that exist, and its test
// command covers every module (see readme_test.go).
//
// The blank imports are the packages the README's programs import: they
// make this module's go.mod require them, so that a program written into
// this module's directory builds against them.
package readme

import (
	_ "github.com/echoerr/echoerr"
	_ "github.com/echoerr/echoerr/v5"
	_ "github.com/go-playground/validator/v10"
	_ "github.com/labstack/echo/v4"
	_ "github.com/labstack/echo/v4/middleware"
	_ "github.com/labstack/echo/v5"
	_ "github.com/labstack/echo/v5/middleware"
)
