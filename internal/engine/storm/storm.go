// Package storm is echoerr's storm control, without Echo: a fingerprint
// for every error, and per fingerprint and window the first N errors
// logged and reported in full, the rest counted and written in one summary
// record when the window is over.
//
// Windows are aligned to the clock (the minute, for a window of a minute),
// the same for every fingerprint, and for every process of a fleet that
// shares a Limiter. When a window is over, every fingerprint with errors
// left out gets its summary: from a timer set at the window's end, or
// before the next error of any fingerprint, whichever comes first, or from
// Flush. Each error is either in full or counted in exactly one summary.
// Memory is bounded by Config.MaxFingerprints entries; errors of further
// fingerprints in a window are counted under "other", one entry for 4xx
// and one for 5xx.
package storm

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/echoerr/echoerr/httperr"
)

// Kind is what a limit applies to: the log record or the report.
type Kind int

// The kinds.
const (
	Log Kind = iota
	Report
	kinds
)

var (
	kindNames  = [kinds]string{"log", "report"}
	classNames = [2]string{"4xx", "5xx"}
)

// class is 0 for a status below 500 and 1 for a 5xx.
func class(status int) int {
	if status >= 500 {
		return 1
	}
	return 0
}

// Defaults of Config's zero values.
const (
	DefaultWindow          = time.Minute
	DefaultMaxFingerprints = 1000
)

// DefaultLimits are the limits of Config's zero values, by kind and class:
// 4xx are limited harder, since a client's mistakes repeat without end.
var DefaultLimits = [kinds][2]int{Log: {3, 10}, Report: {1, 5}}

// Config is storm control's setting. A zero field means its default; a
// negative limit, none in full.
type Config struct {
	Window          time.Duration
	Limits          [kinds][2]int // by Kind and class (4xx, 5xx)
	MaxFingerprints int
	Limiter         httperr.Limiter // nil: the process's own counts
	Clock           Clock           // nil: the system's
}

// Control is one storm control, safe for concurrent use.
type Control struct {
	cfg Config

	mu      sync.Mutex
	window  int64             // the current window: Unix nanoseconds / Window
	entries map[string]*entry // this window's fingerprints
	other   [2]entry          // this window's overflow, by class
	pending bool              // some entry has errors left out
	stop    func() bool       // the armed timer's, or nil

	warned atomic.Bool // the limiter failed, and that was logged
}

// entry is one fingerprint in the current window.
type entry struct {
	fp      string
	status  int
	route   string
	class   string // "4xx" or "5xx" for the "other" entries; "" otherwise
	level   slog.Level
	logger  *slog.Logger
	full    [kinds]int // in full, or offered to the limiter
	skipped [kinds]int // left out since the last summary
}

// Event is one error, as Admit needs it.
type Event struct {
	Fingerprint string
	Status      int
	Route       string
	Level       slog.Level   // of its log record, and of a summary
	Logger      *slog.Logger // where its summary and a limiter warning go
}

// New returns a Control with cfg, its zero fields given their defaults.
func New(cfg Config) *Control {
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.MaxFingerprints <= 0 {
		cfg.MaxFingerprints = DefaultMaxFingerprints
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	for k := range cfg.Limits {
		for cl, n := range cfg.Limits[k] {
			cfg.Limits[k][cl] = max(0, n)
			if n == 0 {
				cfg.Limits[k][cl] = DefaultLimits[k][cl]
			}
		}
	}
	c := &Control{cfg: cfg, entries: map[string]*entry{}}
	c.window = c.index(cfg.Clock.Now())
	return c
}

// Admit reports whether ev's record (or report, by k) is written in full;
// one that is not is counted for its fingerprint's summary.
func (c *Control) Admit(ctx context.Context, k Kind, ev *Event) bool {
	full, window := c.count(k, ev, true)
	if !full || c.cfg.Limiter == nil || c.allow(ctx, k, ev, window) {
		return full
	}
	c.count(k, ev, false)
	return false
}

// count counts ev under its fingerprint: in full while the process's limit
// allows it and may is set, else left out. It returns that, and the window.
func (c *Control) count(k Kind, ev *Event, may bool) (full bool, window int64) {
	now := c.cfg.Clock.Now()
	c.mu.Lock()
	done := c.roll(now)
	e := c.entry(ev)
	if full = may && e.full[k] < c.cfg.Limits[k][class(ev.Status)]; full {
		e.full[k]++
	} else {
		c.skip(e, k, ev.Level, now)
	}
	window = c.window
	c.mu.Unlock()
	write(done)
	return full, window
}

// allow asks the limiter, failing open: see httperr.Limiter.
func (c *Control) allow(ctx context.Context, k Kind, ev *Event, window int64) bool {
	start := window * int64(c.cfg.Window) / int64(time.Second)
	key := kindNames[k] + ":" + ev.Fingerprint + ":" + strconv.FormatInt(start, 10)
	ok, err := ask(c.cfg.Limiter, context.WithoutCancel(ctx), key, c.cfg.Limits[k][class(ev.Status)], c.cfg.Window)
	if err == nil {
		c.warned.Store(false)
		return ok
	}
	if !c.warned.Swap(true) {
		warn(ev.Logger, err)
	}
	return true
}

// Flush writes the summaries of the errors left out so far in the current
// window. The limits still hold for the rest of it.
func (c *Control) Flush() {
	c.mu.Lock()
	done := c.take()
	c.mu.Unlock()
	write(done)
}

// tick is the timer's: the window it was set for is over.
func (c *Control) tick() {
	now := c.cfg.Clock.Now()
	c.mu.Lock()
	c.stop = nil
	done := c.roll(now)
	if c.pending { // the timer ran early: set it again
		c.arm(now)
	}
	c.mu.Unlock()
	write(done)
}
