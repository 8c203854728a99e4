module github.com/echoerr/echoerr/internal/engine

go 1.25.0
