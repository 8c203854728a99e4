package facetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/internal/engine"
)

// bounds: what the engine writes about an error (log records, debug
// detail, reports) has a documented size, and handling one error costs
// time and memory linear in the request and the error, whatever the
// cookies, the chain's depth or a panic's stack dump.
func (s *suite) bounds(t *testing.T) {
	t.Run("a thousand cookies and a 256 KB message are redacted in memory linear in them", s.manyCookies)
	t.Run("a deep chain gives a log record, a debug body and a report within the documented bounds", s.deepChains)
	t.Run("the innermost links of a long chain are listed too", s.innermostLinks)
	t.Run("a wrapped panic of Echo's Recover shows the panicking goroutine's stack only", s.wrappedPanic)
}

// manyCookies holds invariants 3 and 4: redaction is one pass over the
// text, however many secrets there are (no per-secret scan of a long
// message, no copy of it per secret), and still hides every one of them.
// The memory one request allocates stands in for its work, so that the
// test asserts no time.
func (s *suite) manyCookies(t *testing.T) {
	var cookies, quoted []string
	for i := range 1000 {
		v := fmt.Sprintf("ck-SECRET-%04d", i)
		cookies = append(cookies, fmt.Sprintf("c%d=%s", i, v))
		quoted = append(quoted, v)
	}
	header := "Cookie: " + strings.Join(cookies, "; ")
	unit := "the e of every word, and a message quoting " + strings.Join(quoted, ", ") + ". "
	msg := strings.Repeat(unit, 256<<10/len(unit)+1)
	for name, err := range map[string]error{
		"an unknown error, debug detail": errors.New(msg),
		"a public message":               s.f.HTTPError(http.StatusBadRequest, msg),
	} {
		t.Run(name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(s.f.JSON())},
				Routes:  []Endpoint{GET("/x", Fail(err))},
			})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rec := e.get("/x", header)
			runtime.ReadMemStats(&after)
			assert.Contains(t, []int{http.StatusBadRequest, http.StatusInternalServerError}, rec.Code)
			body := rec.Body.String()
			assert.NotContains(t, body, "SECRET", "every cookie value is redacted")
			assert.Contains(t, body, "every word", "the text around them is kept")
			allocated := after.TotalAlloc - before.TotalAlloc
			limit := uint64(64 * (len(msg) + len(header)))
			assert.Less(t, allocated, limit, "bytes allocated for one request, for %d bytes of message and cookies", len(msg)+len(header))
		})
	}
}

// layer is one link of a chain of any depth whose every link's text holds
// the whole tail, as fmt.Errorf's %w makes it, computed when asked for:
// a 10 000-deep fmt.Errorf chain would hold 600 MB of text.
type layer struct {
	n    int
	next error
}

func (l *layer) Error() string {
	var b strings.Builder
	for link := l; ; {
		b.WriteString("layer " + strconv.Itoa(link.n) + ": ")
		next, ok := link.next.(*layer)
		if !ok {
			b.WriteString(link.next.Error())
			return b.String()
		}
		link = next
	}
}

func (l *layer) Unwrap() error { return l.next }

// chainBound is the most bytes a listed chain takes, by the engine's
// documented bounds: MaxChainLinks links of MaxLinkText bytes, each with a
// type name and a note, and the note of the links left out.
const chainBound = (engine.MaxChainLinks + 1) * (engine.MaxLinkText + 256)

// deepChains holds invariant 3: a chain 1 500 or 10 000 links deep, each
// link's text repeating the whole tail, gives a log record, a debug body
// and a report within the documented bounds (MaxChainLinks links of
// MaxLinkText bytes, the error's text cut at MaxErrorText), not the
// square of its depth.
func (s *suite) deepChains(t *testing.T) {
	wrapped := errors.New("root cause")
	for i := range 1500 {
		wrapped = fmt.Errorf("wrapper %d: %w", i, wrapped)
	}
	var deep error = errors.New("deep root")
	for i := range 10000 {
		deep = &layer{n: i, next: deep}
	}
	bound := chainBound + engine.MaxErrorText + 8<<10 // the record's other attributes
	for name, err := range map[string]error{"1 500 links of %w": wrapped, "10 000 links": deep} {
		for _, rc := range []rendererCase{{"JSON", s.f.JSON(), ""}, {"HTML", s.f.HTML(nil), ""}} {
			t.Run(name+"/"+rc.name, func(t *testing.T) {
				e := s.serve(t, App{
					Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(rc.r)},
					Routes:  []Endpoint{GET("/x", Fail(err))},
				})
				rec := e.get("/x")
				require.Equal(t, http.StatusInternalServerError, rec.Code)
				assert.Contains(t, rec.Body.String(), "links left out", "the chain says what it left out")
				assert.Less(t, rec.Body.Len(), bound+64<<10, "the debug body, beside the page itself")
				assert.Less(t, renderedSize(t, e.record(t)), bound, "the log record, rendered as JSON")
				d := e.reports(t, 1)[0].Debug
				require.NotNil(t, d, "the report carries the debug detail")
				assert.LessOrEqual(t, len(d.Chain), engine.MaxChainLinks+1, "links listed")
				assert.Less(t, len(d.Report()), bound, "the copy-report text")
			})
		}
	}
}

// innermostLinks holds invariant 3 without losing the root cause: a chain
// longer than the listed links, within the links echoerr walks, lists its
// innermost links too, in the body and the log.
func (s *suite) innermostLinks(t *testing.T) {
	err := errors.New("root cause")
	for i := range 600 {
		err = fmt.Errorf("wrapper %d: %w", i, err)
	}
	e := s.failing(t, err, s.f.WithDebug(true), s.f.WithRenderer(s.f.JSON()))
	body := e.get("/x").Body.String()
	assert.Contains(t, body, "root cause")
	assert.Contains(t, body, "links left out")
	assert.Contains(t, RecordText(e.record(t)), "root cause")
}

// renderedSize is the size of r written by slog's JSON handler.
func renderedSize(t testing.TB, r slog.Record) int {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, slog.NewJSONHandler(&b, nil).Handle(context.Background(), r))
	return b.Len()
}

// wrappedPanic holds invariant 4: no stack other than the failing
// goroutine's appears anywhere, even when middleware wraps the error of
// Echo's own Recover (Echo v5's PanicStackError, whose text holds a dump
// of every goroutine by default) in an error of its own, and another
// goroutine is parked where such a dump would show it. The panic's value
// is still told.
func (s *suite) wrappedPanic(t *testing.T) {
	parked := make(chan struct{})
	go func() { <-parked }()
	defer close(parked)
	wrap := Func(func(next Route) Route {
		return func(c Ctx) error {
			if err := next(c); err != nil {
				return fmt.Errorf("outer middleware: %w", err)
			}
			return nil
		}
	})
	for _, rc := range s.allRenderers() {
		t.Run(rc.name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(rc.r)},
				Use:     []Middleware{wrap, Use(KindRecover)},
				Routes:  []Endpoint{GET("/x", func(Ctx) error { panic("route-panic-value") })},
			})
			body := e.get("/x").Body.String()
			assert.LessOrEqual(t, goroutines(body), 1, "goroutines in the body: %s", body)
			assert.Contains(t, body, "route-panic-value", "the panic's value, in debug mode")
			text := RecordText(e.record(t))
			assert.LessOrEqual(t, goroutines(text), 1, "goroutines in the log record: %s", text)
			assert.Contains(t, text, "route-panic-value", "the panic's value, in the log")
			d := e.reports(t, 1)[0].Debug
			require.NotNil(t, d, "the report carries the debug detail")
			report := d.Report() + d.Stack
			for _, l := range d.Chain {
				report += "\n" + l.Message
			}
			assert.LessOrEqual(t, goroutines(report), 1, "goroutines in the report: %s", report)
		})
	}
}
