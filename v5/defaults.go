package echoerr

// This file holds the options whose default is the face's own: Echo v4 and
// v5 differ in the logger and the debug switch they offer.

import (
	"log/slog"

	"github.com/echoerr/echoerr/internal/engine"
)

// WithLogger sets the logger. Without one, errors are logged through the
// request's logger, c.Logger() (Echo's e.Logger unless a middleware set
// another), which Echo v5 makes a JSON logger on stdout by default. To log
// nothing, pass slog.New(slog.DiscardHandler); to keep 4xx quiet, give a
// handler whose level is slog.LevelWarn.
func WithLogger(l *slog.Logger) Option { return Option{engine.WithLogger(l)} }

// WithDebug turns debug mode on or off. Echo v5 has no debug switch of its
// own: without WithDebug, debug mode is off. In debug mode responses show
// the error chain, the stack when an error carries one, and the request
// line.
func WithDebug(on bool) Option { return Option{engine.WithDebug(on)} }
