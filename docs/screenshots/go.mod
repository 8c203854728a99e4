// The pictures of the README's error pages: a module of its own so that
// the root module's zip leaves them out (see doc.go).
module github.com/echoerr/echoerr/docs/screenshots

go 1.26.0
