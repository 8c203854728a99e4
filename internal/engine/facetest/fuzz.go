package facetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// fuzzSecret is sent in the secret headers and quoted in error messages;
// no body may contain it.
const fuzzSecret = "fz-SECRET-5e1f0c"

// fuzzMethods are the request methods FuzzEntry picks from.
var fuzzMethods = [...]string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"}

// fuzzKey is the request-context key under which FuzzEntry hands the route
// the error it is to return.
type fuzzKey struct{}

// fuzzCase is what the route of FuzzEntry returns, and whether it ran.
type fuzzCase struct {
	err error
	ran atomic.Bool
}

// countingHandler is a slog.Handler that counts records.
type countingHandler struct{ n atomic.Int64 }

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(context.Context, slog.Record) error {
	h.n.Add(1)
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

// FuzzEntry fuzzes the entry path of face: error shapes, messages,
// statuses, Accept headers, methods and the debug setting, through a real
// Echo with Echo's Recover, RequestLogger and BodyDump middleware. It
// asserts the invariants: no panic escapes; a gone client gets nothing
// written; otherwise a valid status is written, with X-Content-Type-Options:
// nosniff and Cache-Control: no-store, no body for HEAD, valid JSON from a
// JSON renderer; no body holds a secret header's value; and each request
// is logged exactly once.
func FuzzEntry(f *testing.F, face Face) {
	s := &suite{f: face, caps: face.Capabilities()}
	for _, seed := range []struct {
		shape  uint8
		code   int
		msg    string
		accept string
		method uint8
		debug  bool
	}{
		{0, 500, "boom", "", 0, false},
		{1, 404, "Not here.", "text/html", 0, true},
		{2, 400, "<script>", "application/problem+json", 1, true},
		{3, 0, "zero", "*/*", 2, false},
		{4, 1000, "\xff\xfe", "text/plain", 3, true},
		{5, 99, "\r\nSet-Cookie: x=1", "garbage;;q=", 6, false},
		{8, 500, "gone", "", 0, false},
		{9, 500, "sub-canceled", "", 0, true},
		{11, 500, "typed nil", "", 0, true},
		{12, 409, "cycle", "text/html;q=0.5, */*;q=0.1", 1, true},
		{13, 63, "deep", "", 7, false},
		{14, 422, "payload", "application/json", 0, true},
		{14, 423, "handler page", "application/json", 0, false},
		{7, 429, "Code", `text/html;x="q=0"`, 4, true},
	} {
		f.Add(seed.shape, seed.code, seed.msg, seed.accept, seed.method, seed.debug)
	}
	logs := &countingHandler{}
	apps := map[bool]http.Handler{}
	for _, debug := range []bool{false, true} {
		apps[debug] = face.Serve(f, App{
			Options: []Option{
				face.WithLogger(slog.New(logs)),
				face.WithDebug(debug),
				face.OnCode(http.StatusTeapot, func(_ Ctx, err error) error { return err }),
				face.OnRange(400, 499, func(Ctx, error) error { return face.Pass() }),
				face.OnType(TypeInvalidAPIUsage, func(c Ctx, err error) error {
					e := err.(*InvalidAPIUsage)
					// A handler's own page (without a body for HEAD, as net/http
					// would send it), of a final status: net/http sends a 1xx's
					// body with a 200, which the recorder cannot show (see
					// "a handler's page after an informational status").
					if e.Code%3 == 0 && e.Code >= 200 {
						if c.Request().Method == http.MethodHead {
							c.WriteHeader(e.StatusCode())
							return nil
						}
						return c.JSON(e.StatusCode(), map[string]string{"handled": "yes"})
					}
					return err
				}),
				face.Group("/fuzz/api", face.WithRenderer(face.Problem())),
			},
			Use: []Middleware{Use(KindRecover), Use(KindRequestLogger), Use(KindBodyDump)},
			Routes: []Endpoint{
				Handle("*", "/fuzz", fuzzRoute),
				Handle("*", "/fuzz/api", fuzzRoute),
			},
		})
	}
	f.Fuzz(func(t *testing.T, shape uint8, code int, msg, accept string, method uint8, debug bool) {
		if len(msg) > 1<<16 || len(accept) > 1<<12 {
			return
		}
		if code&1 == 1 {
			msg += " token " + fuzzSecret
		}
		err := s.fuzzError(shape, code, msg)
		fc := &fuzzCase{err: err}
		path := "/fuzz"
		if code&2 == 2 {
			path = "/fuzz/api"
		}
		m := fuzzMethods[int(method)%len(fuzzMethods)]
		req := newRequest(m, path,
			"Authorization: Bearer "+fuzzSecret,
			"Cookie: session="+fuzzSecret)
		req.Header["Accept"] = []string{accept}
		req = req.WithContext(context.WithValue(req.Context(), fuzzKey{}, fc))
		gone := shape%16 == 8
		if gone {
			req = goneRequest(req)
		}
		before := logs.n.Load()
		w := newWire()
		serveOrFail(t, apps[debug], w, req)
		body := w.Body.String()
		if gone && fc.ran.Load() {
			if w.wrote() {
				t.Fatalf("a gone client got a response: %d %q", w.Code, body)
			}
		} else {
			if !w.wroteHeader || w.Code < 200 || w.Code > 999 {
				t.Fatalf("no valid status written: wrote=%v code=%d", w.wroteHeader, w.Code)
			}
			h := w.Header()
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
				t.Fatalf("safety headers missing: %v", h)
			}
			if m == http.MethodHead && body != "" {
				t.Fatalf("a body for HEAD: %q", body)
			}
			if mt := mediaType(h); strings.HasSuffix(mt, "json") && body != "" && !json.Valid(w.Body.Bytes()) {
				t.Fatalf("invalid JSON from a %s renderer: %q", mt, body)
			}
		}
		if strings.Contains(body, fuzzSecret) {
			t.Fatalf("a secret in the body: %q", body)
		}
		if n := logs.n.Load() - before; n != 1 {
			t.Fatalf("%d log records for one request", n)
		}
	})
}

// fuzzRoute returns the error the fuzz case put into the request context.
func fuzzRoute(c Ctx) error {
	fc := c.Request().Context().Value(fuzzKey{}).(*fuzzCase)
	fc.ran.Store(true)
	return fc.err
}

// fuzzError builds an error of the given shape.
func (s *suite) fuzzError(shape uint8, code int, msg string) error {
	switch shape % 16 {
	case 0:
		return errors.New(msg)
	case 1:
		return s.f.HTTPError(code, msg)
	case 2:
		return s.f.WrapHTTPError(code, msg, errors.New(msg))
	case 3:
		return &Coded{Code: code, Msg: msg}
	case 4:
		return s.f.NewError(Canonical{Code: code, Description: msg})
	case 5:
		return fmt.Errorf("w: %w", s.f.HTTPError(code, msg))
	case 6:
		return errors.Join(errors.New(msg), &Coded{Code: code, Msg: msg})
	case 7:
		return &Rich{Code: code, Desc: msg, Ext: map[string]any{msg: msg, "code": msg, "Description": msg}, Head: http.Header{"X-Fuzz": {"v"}}, Msg: msg}
	case 8:
		return fmt.Errorf("%s: %w", msg, context.Canceled)
	case 9:
		return fmt.Errorf("%s: %w", msg, context.Canceled) // the client is still there
	case 10:
		return fmt.Errorf("%s: %w", msg, context.DeadlineExceeded)
	case 11:
		return TypedNil()
	case 12:
		return &Cycle{Msg: msg}
	case 13:
		return Deep(code&63, s.f.HTTPError(code, msg))
	case 14:
		return &InvalidAPIUsage{Message: msg, Code: code, Payload: map[string]any{msg: code}}
	}
	return panicky{}
}
