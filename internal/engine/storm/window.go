package storm

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/echoerr/echoerr/httperr"
)

// The rest of Control's methods run with c.mu held.

// index is the window that holds now.
func (c *Control) index(now time.Time) int64 { return now.UnixNano() / int64(c.cfg.Window) }

// roll starts the window that holds now, when it is a new one, and returns
// the summaries of the one that is over.
func (c *Control) roll(now time.Time) []summary {
	w := c.index(now)
	if w == c.window {
		return nil
	}
	done := c.take()
	clear(c.entries)
	c.other = [2]entry{}
	c.window = w
	return done
}

// entry returns ev's entry in the current window, making it; past
// MaxFingerprints, the "other" entry of its class.
func (c *Control) entry(ev *Event) *entry {
	if e, ok := c.entries[ev.Fingerprint]; ok {
		return e
	}
	if len(c.entries) >= c.cfg.MaxFingerprints {
		e := &c.other[class(ev.Status)]
		e.fp, e.class, e.logger = "other", classNames[class(ev.Status)], ev.Logger
		return e
	}
	e := &entry{fp: ev.Fingerprint, status: ev.Status, route: ev.Route, level: ev.Level, logger: ev.Logger}
	c.entries[ev.Fingerprint] = e
	return e
}

// skip counts one error of e left out, and makes sure a timer will write
// its summary.
func (c *Control) skip(e *entry, k Kind, level slog.Level, now time.Time) {
	e.skipped[k]++
	e.level = max(e.level, level)
	c.pending = true
	if c.stop == nil {
		c.arm(now)
	}
}

// arm sets the timer for the end of the current window.
func (c *Control) arm(now time.Time) {
	end := time.Unix(0, (c.window+1)*int64(c.cfg.Window))
	c.stop = c.cfg.Clock.AfterFunc(end.Sub(now), c.tick)
}

// take returns the summaries of the entries with errors left out, and
// starts their counts again.
func (c *Control) take() []summary {
	if !c.pending {
		return nil
	}
	start := time.Unix(0, c.window*int64(c.cfg.Window)).UTC()
	var done []summary
	add := func(e *entry) {
		if e.skipped != [kinds]int{} {
			done = append(done, summary{entry: *e, start: start, window: c.cfg.Window})
			e.skipped = [kinds]int{}
		}
	}
	for _, e := range c.entries {
		add(e)
	}
	for cl := range c.other {
		add(&c.other[cl])
	}
	c.pending = false
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	return done
}

// summary is the record of one fingerprint's errors left out in a window.
type summary struct {
	entry
	start  time.Time
	window time.Duration
}

// SummaryMessage is the message of a summary record.
const SummaryMessage = "echoerr: repeated errors left out"

// write logs the summaries (without c.mu held: a log handler may be slow).
func write(done []summary) {
	for i := range done {
		done[i].write()
	}
}

func (s *summary) write() {
	defer func() { _ = recover() }() // a log handler that panics loses its summary, not the server
	attrs := []slog.Attr{slog.String("fingerprint", s.fp)}
	if s.class != "" {
		attrs = append(attrs, slog.String("status_class", s.class))
	} else {
		attrs = append(attrs, slog.Int("status", s.status), slog.String("route", s.route))
	}
	attrs = append(attrs,
		slog.Time("window_start", s.start),
		slog.Duration("window", s.window),
		slog.Int("records_left_out", s.skipped[Log]),
		slog.Int("reports_left_out", s.skipped[Report]),
	)
	l := s.logger
	if l == nil {
		l = slog.Default()
	}
	l.LogAttrs(context.Background(), s.level, SummaryMessage, attrs...)
}

// ask is l.Allow, with a panic turned into an error.
func ask(l httperr.Limiter, ctx context.Context, key string, limit int, window time.Duration) (ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			ok, err = false, fmt.Errorf("limiter panicked: %v", p)
		}
	}()
	return l.Allow(ctx, key, limit, window)
}

// warn logs that the limiter failed.
func warn(l *slog.Logger, err error) {
	defer func() { _ = recover() }()
	l.LogAttrs(context.Background(), slog.LevelWarn,
		"echoerr: the storm limiter failed; errors are logged and reported in full, within this process's limits, until it answers",
		slog.String("error", err.Error()))
}
