package facetest

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// LogRecorder is a slog.Handler that keeps every record it is given, at
// every level.
type LogRecorder struct {
	mu      sync.Mutex
	records []slog.Record
	// Panic makes Handle panic, for a logger that fails.
	Panic bool
}

// Enabled reports true.
func (h *LogRecorder) Enabled(context.Context, slog.Level) bool { return true }

// Handle keeps r.
func (h *LogRecorder) Handle(_ context.Context, r slog.Record) error {
	if h.Panic {
		panic("facetest: log handler panicked")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// WithAttrs returns h: the suite reads records only.
func (h *LogRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }

// WithGroup returns h.
func (h *LogRecorder) WithGroup(string) slog.Handler { return h }

// Records returns what was logged so far.
func (h *LogRecorder) Records() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slog.Record(nil), h.records...)
}

// Reset forgets what was logged.
func (h *LogRecorder) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = nil
}

// Logger returns a *slog.Logger writing to h.
func (h *LogRecorder) Logger() *slog.Logger { return slog.New(h) }

// RecordText is the record's message and every attribute, "key=value"
// separated by newlines, with groups flattened: what the suite searches
// for content.
func RecordText(r slog.Record) string {
	var b strings.Builder
	b.WriteString(r.Message)
	var add func(prefix string, a slog.Attr)
	add = func(prefix string, a slog.Attr) {
		v := a.Value.Resolve()
		if v.Kind() == slog.KindGroup {
			for _, g := range v.Group() {
				add(prefix+a.Key+".", g)
			}
			return
		}
		fmt.Fprintf(&b, "\n%s%s=%v", prefix, a.Key, v.Any())
	}
	r.Attrs(func(a slog.Attr) bool { add("", a); return true })
	return b.String()
}

// RecordAttr returns the value of the record's attribute key as a string,
// and whether it is there.
func RecordAttr(r slog.Record, key string) (string, bool) {
	var v string
	found := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v, found = a.Value.Resolve().String(), true
			return false
		}
		return true
	})
	return v, found
}

// ReportRecorder collects what a reporter is given.
type ReportRecorder struct {
	mu      sync.Mutex
	reports []Canonical
	// Panic makes the reporter panic, after recording.
	Panic bool
}

// Report records e; it is the function for Face.WithReporter.
func (r *ReportRecorder) Report(_ Ctx, e Canonical) {
	r.mu.Lock()
	r.reports = append(r.reports, e)
	r.mu.Unlock()
	if r.Panic {
		panic("facetest: reporter panicked")
	}
}

// Reports returns what was reported so far.
func (r *ReportRecorder) Reports() []Canonical {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Canonical(nil), r.reports...)
}

// Reset forgets what was reported.
func (r *ReportRecorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reports = nil
}

// Calls counts calls by tag, for handlers that must run (or not) and in
// which order.
type Calls struct {
	mu  sync.Mutex
	ran []string
}

// Add records tag.
func (c *Calls) Add(tag string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ran = append(c.ran, tag)
}

// Ran returns the tags recorded so far.
func (c *Calls) Ran() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ran...)
}

// Take returns a handler that records tag and handles the error (nil).
func (c *Calls) Take(tag string) Handler {
	return func(Ctx, error) error { c.Add(tag); return nil }
}

// Result returns a handler that records tag and returns result.
func (c *Calls) Result(tag string, result error) Handler {
	return func(Ctx, error) error { c.Add(tag); return result }
}
