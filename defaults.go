package echoerr

// This file holds the options whose default is the face's own: Echo v4 and
// v5 differ in the logger and the debug switch they offer.

import (
	"log/slog"

	"github.com/echoerr/echoerr/internal/engine"
)

// WithLogger sets the logger. Without one, slog.Default() is used, as it is
// at the time of each request. To log nothing, pass
// slog.New(slog.DiscardHandler).
func WithLogger(l *slog.Logger) Option { return Option{engine.WithLogger(l)} }

// WithDebug turns debug mode on or off. Without it, debug mode follows
// Echo's e.Debug. In debug mode responses show the error chain, the stack
// when an error carries one, and the request line.
func WithDebug(on bool) Option { return Option{engine.WithDebug(on)} }
