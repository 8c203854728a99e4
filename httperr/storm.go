package httperr

import (
	"context"
	"time"
)

// Fingerprinter is implemented by an error that names its own fingerprint:
// the key under which storm control (the faces' StormControl) counts it,
// and error trackers group it. The outermost link of the chain that
// implements it decides; a fingerprint over 64 bytes is hashed.
type Fingerprinter interface {
	Fingerprint() string
}

// A Limiter decides whether one more error is logged (or reported) in full,
// for storm control; without one, each process keeps its own counts. A
// Limiter backed by a shared store (Redis, say) makes the limit hold across
// a fleet of servers.
//
// key names what is counted, the window included: "log:" or "report:", the
// fingerprint, ":", and the window's start in Unix seconds
// ("report:9f86d081884c7d65:1767225600"). Allow reports whether the call is
// among the first limit calls for key; the window is over after window,
// when the key can be forgotten. A fixed-window counter implements it
// exactly: INCR key, EXPIRE key window on the first call, allowed while the
// count is at most limit.
//
// ctx is the request's, without its cancellation: Allow bounds its own
// wait. An error (or a panic) counts as allowed: the error is logged and
// reported in full, never dropped, and one warning is logged until Allow
// answers again. Allow is asked only while the process's own count is
// within the limit, so a storm costs the store at most limit calls per
// process, fingerprint and window.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}
