package facetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// concurrency: one handler built by New serves mixed requests from many
// goroutines (run it with -race); every response is the one its request
// alone would get, and each error is logged once.
func (s *suite) concurrency(t *testing.T) {
	e := s.serve(t, App{
		Options: []Option{
			s.f.OnType(TypeValidation, func(_ Ctx, err error) error {
				return s.adjust(err, func(fe *Canonical) { fe.Code, fe.Description = 422, "Check "+err.(*ValidationError).Field+"." })
			}),
			s.f.OnCode(http.StatusTeapot, func(c Ctx, _ error) error { return c.JSON(http.StatusTeapot, map[string]string{"tea": "yes"}) }),
			s.f.OnAny(func(Ctx, error) error { return nil }),
			s.f.Group("/api", s.f.WithRenderer(s.f.Problem()), s.f.OnCode(http.StatusNotFound, func(_ Ctx, err error) error {
				return s.adjust(err, func(fe *Canonical) { fe.Description = "No such API." })
			})),
		},
		Use: []Middleware{Use(KindRecover), Use(KindRequestLogger), Use(KindBodyDump)},
		Routes: []Endpoint{
			GET("/unknown", Fail(errors.New("boom"))),
			GET("/validation", Fail(fmt.Errorf("w: %w", &ValidationError{Field: "email"}))),
			GET("/teapot", Fail(&Coded{Code: http.StatusTeapot})),
			GET("/panic", func(Ctx) error { panic("kaboom") }),
			GET("/deadline", Fail(fmt.Errorf("q: %w", context.DeadlineExceeded))),
		},
	})
	type want struct {
		code      int
		mediaType string
		key, val  string // a member of the JSON body
	}
	cases := map[string]want{
		"/unknown":    {500, "application/json", "description", s.desc(500)},
		"/validation": {422, "application/json", "description", "Check email."},
		"/teapot":     {418, "application/json", "tea", "yes"},
		"/panic":      {500, "application/json", "description", s.desc(500)},
		"/deadline":   {503, "application/json", "description", s.desc(503)},
		"/missing":    {404, "application/json", "description", s.desc(404)},
		"/api/nope":   {404, "application/problem+json", "detail", "No such API."},
	}
	paths := make([]string, 0, len(cases))
	for p := range cases {
		paths = append(paths, p)
	}
	const workers, perWorker = 8, 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				path := paths[(w+i)%len(paths)]
				want := cases[path]
				rec := newWire()
				if p := serveRecovering(e.h, rec, newRequest(http.MethodGet, path)); p != nil {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: a panic escaped: %v", path, p))
					mu.Unlock()
					continue
				}
				var m map[string]any
				_ = json.Unmarshal(rec.Body.Bytes(), &m)
				if rec.Code != want.code || mediaType(rec.Header()) != want.mediaType || m[want.key] != want.val {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: %d %s %s", path, rec.Code, mediaType(rec.Header()), rec.Body.String()))
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	assert.Empty(t, failures)
	assert.Len(t, e.Log.Records(), workers*perWorker, "one record per error")
}

// serveRecovering serves req and returns what panicked out of h, if
// anything; for goroutines, which cannot fail a test fatally.
func serveRecovering(h http.Handler, w http.ResponseWriter, req *http.Request) (p any) {
	defer func() { p = recover() }()
	h.ServeHTTP(w, req)
	return nil
}
