package facetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Precedence: the most specific handler wins.
func (s *suite) precedence(t *testing.T) {
	t.Run("every rung beats the ones below, in any registration order", s.rungs)
	t.Run("rung 1 at one link: a value, then the exact type, then an interface", func(t *testing.T) {
		c := &Calls{}
		e := s.failing(t, ErrTemp,
			s.f.OnType(TypeTemporary, c.Result("interface", s.f.Pass())),
			s.f.OnType(TypeTempError, c.Result("exact", s.f.Pass())),
			s.f.OnError(ErrTemp, c.Result("value", s.f.Pass())),
			s.f.OnAny(c.Take("any")),
		)
		e.get("/x")
		assert.Equal(t, []string{"value", "exact", "interface", "any"}, c.Ran())
	})
	t.Run("rung 1 walks the chain outermost first", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			err  error
			opts func(c *Calls) []Option
			want []string
		}{
			{"an outer type before an inner type", &Wrapper{Msg: "w", Err: &ValidationError{Field: "email"}},
				func(c *Calls) []Option {
					return []Option{s.f.OnType(TypeValidation, c.Result("inner", s.f.Pass())), s.f.OnType(TypeWrapper, c.Result("outer", s.f.Pass()))}
				}, []string{"outer", "inner"}},
			{"an outer type before an inner value", &Wrapper{Msg: "w", Err: ErrSentinel},
				func(c *Calls) []Option {
					return []Option{s.f.OnError(ErrSentinel, c.Result("value", s.f.Pass())), s.f.OnType(TypeWrapper, c.Result("type", s.f.Pass()))}
				}, []string{"type", "value"}},
			{"errors.Join branches in order", fmt.Errorf("w: %w", errors.Join(&ValidationError{Field: "f"}, ErrTemp)),
				func(c *Calls) []Option {
					return []Option{s.f.OnType(TypeTemporary, c.Result("second", s.f.Pass())), s.f.OnType(TypeValidation, c.Result("first", s.f.Pass()))}
				}, []string{"first", "second"}},
			{"a value inside an HTTP error", s.f.WrapHTTPError(http.StatusNotFound, "", ErrSentinel),
				func(c *Calls) []Option {
					return []Option{s.f.OnCode(http.StatusNotFound, c.Result("code", s.f.Pass())), s.f.OnError(ErrSentinel, c.Result("value", s.f.Pass()))}
				}, []string{"value", "code"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := &Calls{}
				s.failing(t, tc.err, tc.opts(c)...).get("/x")
				assert.Equal(t, tc.want, c.Ran())
			})
		}
	})
	t.Run("ties go by registration order", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			err  error
			on   func(h Handler) Option
		}{
			{"OnCode", s.f.NotFound(), func(h Handler) Option { return s.f.OnCode(http.StatusNotFound, h) }},
			{"OnRange", s.f.NotFound(), func(h Handler) Option { return s.f.OnRange(400, 499, h) }},
			{"OnType", &ValidationError{}, func(h Handler) Option { return s.f.OnType(TypeValidation, h) }},
			{"OnError", ErrSentinel, func(h Handler) Option { return s.f.OnError(ErrSentinel, h) }},
			{"OnHTTPError", s.f.NotFound(), s.f.OnHTTPError},
			{"OnAny", errors.New("x"), s.f.OnAny},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := &Calls{}
				s.failing(t, tc.err, tc.on(c.Result("first", s.f.Pass())), tc.on(c.Take("second")), tc.on(c.Take("third"))).get("/x")
				assert.Equal(t, []string{"first", "second"}, c.Ran())
			})
		}
	})
	t.Run("the narrowest range wins, equal widths by registration order", func(t *testing.T) {
		c := &Calls{}
		s.failing(t, s.f.NotFound(),
			s.f.OnRange(400, 499, c.Result("wide", s.f.Pass())),
			s.f.OnRange(400, 409, c.Result("mid", s.f.Pass())),
			s.f.OnRange(404, 404, c.Result("narrow", s.f.Pass())),
			s.f.OnRange(500, 599, c.Take("other")),
		).get("/x")
		assert.Equal(t, []string{"narrow", "mid", "wide"}, c.Ran())

		c = &Calls{}
		s.failing(t, s.f.HTTPError(405, ""),
			s.f.OnRange(404, 413, c.Result("b", s.f.Pass())),
			s.f.OnRange(400, 409, c.Result("a", s.f.Pass())),
		).get("/x")
		assert.Equal(t, []string{"b", "a"}, c.Ran())
	})
	t.Run("Pass all the way down renders the canonical error", func(t *testing.T) {
		c := &Calls{}
		err := &InvalidAPIUsage{Message: "Bad input.", Code: 404}
		e := s.failing(t, err, s.rungOptions(func(tag string) Handler { return c.Result(tag, s.f.Pass()) }, false)...)
		rec := e.get("/x")
		assert.Equal(t, []string{"rung 1", "rung 2", "rung 3", "rung 4", "rung 5"}, c.Ran())
		ref := s.failing(t, err).get("/x")
		assert.Equal(t, ref.Code, rec.Code)
		assert.Equal(t, ref.Body.String(), rec.Body.String())
	})
	t.Run("nothing matched renders the canonical error", func(t *testing.T) {
		c := &Calls{}
		rec := s.failing(t, s.f.NotFound(), s.f.OnCode(500, c.Take("500")), s.f.OnType(TypeValidation, c.Take("type"))).get("/x")
		assert.Empty(t, c.Ran())
		assert.Equal(t, s.defaultJSON(404), jsonBody(t, rec))
	})
	t.Run("OnType of the face's HTTP error and *Error is rung 4", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			tag  TypeTag
			err  error
		}{
			{"HTTP error", TypeHTTPError, s.f.HTTPError(http.StatusNotFound, "Nope.")},
			{"*Error", TypeError, s.f.NewError(Canonical{Code: http.StatusNotFound})},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := &Calls{}
				s.failing(t, tc.err, s.f.OnType(tc.tag, c.Take("type")), s.f.OnCode(404, c.Take("code"))).get("/x")
				assert.Equal(t, []string{"code"}, c.Ran(), "rung 2 beats it")
				c = &Calls{}
				s.failing(t, tc.err, s.f.OnAny(c.Take("any")), s.f.OnType(tc.tag, c.Take("type"))).get("/x")
				assert.Equal(t, []string{"type"}, c.Ran(), "it beats rung 5")
				c = &Calls{}
				s.failing(t, tc.err, s.f.OnHTTPError(c.Result("http", s.f.Pass())), s.f.OnType(tc.tag, c.Take("type"))).get("/x")
				assert.Equal(t, []string{"http", "type"}, c.Ran(), "it shares rung 4 with OnHTTPError, by registration order")
				c = &Calls{}
				s.failing(t, tc.err, s.f.OnRange(400, 499, c.Take("range")), s.f.OnType(tc.tag, c.Take("type"))).get("/x")
				assert.Equal(t, []string{"range"}, c.Ran(), "rung 3 beats it")
				var got error
				s.failing(t, fmt.Errorf("w: %w", tc.err), s.f.OnType(tc.tag, func(_ Ctx, err error) error { got = err; return nil })).get("/x")
				assert.Same(t, tc.err, got, "its handler gets the carrier")
				c = &Calls{}
				s.failing(t, &Coded{Code: 404}, s.f.OnType(tc.tag, c.Take("type")), s.f.OnAny(c.Take("any"))).get("/x")
				assert.Equal(t, []string{"any"}, c.Ran(), "not for another carrier")
			})
		}
	})
	t.Run("OnHTTPError ignores derived statuses", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			err  error
			want string
		}{
			{"unknown error (500)", errors.New("x"), "any"},
			{"deadline (503)", context.DeadlineExceeded, "any"},
			{"wrapped deadline (503)", fmt.Errorf("q: %w", context.DeadlineExceeded), "any"},
			{"a Describer without a status", &ValidationError{}, "any"},
			{"Echo's NotFound", s.f.NotFound(), "http"},
			{"HTTP error 500", s.f.HTTPError(500, "x"), "http"},
			{"StatusCode() 503", &Coded{Code: 503}, "http"},
			{"*Error 500", s.f.NewError(Canonical{Code: 500}), "http"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := &Calls{}
				s.failing(t, tc.err, s.f.OnAny(c.Take("any")), s.f.OnHTTPError(c.Take("http"))).get("/x")
				assert.Equal(t, []string{tc.want}, c.Ran())
			})
		}
	})
	t.Run("a typed handler gets the matched link", func(t *testing.T) {
		iau := &InvalidAPIUsage{Message: "m"}
		var got error
		s.failing(t, fmt.Errorf("a: %w", &Wrapper{Msg: "b", Err: iau}), s.f.OnType(TypeInvalidAPIUsage, func(_ Ctx, err error) error {
			got = err
			return nil
		})).get("/x")
		assert.Same(t, iau, got)
	})
	t.Run("non-comparable error types never panic", func(t *testing.T) {
		list := ListError{Items: []string{"a", "b"}}
		c := &Calls{}
		var got error
		e := s.failing(t, fmt.Errorf("w: %w", list),
			s.f.OnError(ErrSentinel, c.Take("sentinel")),
			s.f.OnType(TypeList, func(_ Ctx, err error) error { c.Add("list"); got = err; return nil }))
		assert.Equal(t, http.StatusInternalServerError, e.get("/x").Code)
		assert.Equal(t, []string{"list"}, c.Ran())
		assert.Equal(t, list, got)
		e = s.failing(t, list, s.f.OnAny(func(_ Ctx, err error) error { return err }))
		assert.Equal(t, http.StatusInternalServerError, e.get("/x").Code)
	})
	t.Run("Flask's InvalidAPIUsage: the type comes before the code", func(t *testing.T) {
		c := &Calls{}
		e := s.serve(t, App{
			Options: []Option{
				s.f.OnCode(http.StatusNotFound, c.Take("code")),
				s.f.OnType(TypeInvalidAPIUsage, func(ctx Ctx, err error) error {
					e := err.(*InvalidAPIUsage)
					return ctx.JSON(e.StatusCode(), e.ToDict())
				}),
			},
			Routes: []Endpoint{GET("/api/user", userAPI)},
		})
		rec := e.get("/api/user?user_id=420")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, map[string]any{"message": "No such user!", "user_id": "420"}, jsonBody(t, rec))
		rec = e.get("/api/user")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, map[string]any{"message": "No user id provided!"}, jsonBody(t, rec))
		assert.Empty(t, c.Ran())
	})
	t.Run("comparable errors holding unhashable values get their handler", s.unhashable)
}

// userAPI is the route of Flask's InvalidAPIUsage example.
func userAPI(c Ctx) error {
	id := c.Request().URL.Query().Get("user_id")
	switch id {
	case "":
		return &InvalidAPIUsage{Message: "No user id provided!"}
	case "7":
		return c.JSON(http.StatusOK, map[string]string{"name": "ada"})
	}
	return &InvalidAPIUsage{Message: "No such user!", Code: http.StatusNotFound, Payload: map[string]any{"user_id": id}}
}

// rungOptions registers one handler per rung, all matching
// &InvalidAPIUsage{Code: 404}, made by h from the tag "rung N"; in
// descending order when reversed.
func (s *suite) rungOptions(h func(tag string) Handler, reversed bool) []Option {
	opts := []Option{
		s.f.OnType(TypeInvalidAPIUsage, h("rung 1")),
		s.f.OnCode(http.StatusNotFound, h("rung 2")),
		s.f.OnRange(400, 499, h("rung 3")),
		s.f.OnHTTPError(h("rung 4")),
		s.f.OnAny(h("rung 5")),
	}
	if reversed {
		for i, j := 0, len(opts)-1; i < j; i, j = i+1, j-1 {
			opts[i], opts[j] = opts[j], opts[i]
		}
	}
	return opts
}

// rungs: for each rung k, with handlers registered on rungs k to 5 only
// (first to last, and last to first), rung k takes the error.
func (s *suite) rungs(t *testing.T) {
	err := fmt.Errorf("w: %w", &InvalidAPIUsage{Message: "Bad input.", Code: http.StatusNotFound})
	for k := 1; k <= 5; k++ {
		for _, reversed := range []bool{false, true} {
			t.Run(fmt.Sprintf("rung %d/reversed=%v", k, reversed), func(t *testing.T) {
				c := &Calls{}
				all := s.rungOptions(c.Take, false)[k-1:]
				if reversed {
					all = append([]Option(nil), all...)
					for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
						all[i], all[j] = all[j], all[i]
					}
				}
				s.failing(t, err, all...).get("/x")
				assert.Equal(t, []string{fmt.Sprintf("rung %d", k)}, c.Ran())
			})
		}
	}
	t.Run("rung 1 by value", func(t *testing.T) {
		c := &Calls{}
		s.failing(t, s.f.WrapHTTPError(http.StatusNotFound, "", ErrSentinel),
			s.f.OnAny(c.Take("rung 5")), s.f.OnHTTPError(c.Take("rung 4")), s.f.OnRange(400, 499, c.Take("rung 3")),
			s.f.OnCode(404, c.Take("rung 2")), s.f.OnError(ErrSentinel, c.Take("rung 1"))).get("/x")
		assert.Equal(t, []string{"rung 1"}, c.Ran())
	})
}

// unhashable holds invariant 6 (never panics): a route's error or an
// OnError target of a comparable type holding a slice, a map or a func
// never panics the ladder; each gets its own handler and status.
func (s *suite) unhashable(t *testing.T) {
	target := Unhashable{V: []int{1}}
	conflict := func(Ctx, error) error { return s.f.HTTPError(http.StatusConflict, "Matched.") }
	for _, tc := range []struct {
		name   string
		target error
		err    error
		code   int
	}{
		{"the route's error holds a slice", Unhashable{V: 1}, Unhashable{V: []int{1}}, 500},
		{"the route's error holds a map", Unhashable{V: 1}, fmt.Errorf("w: %w", Unhashable{V: map[string]int{}}), 500},
		{"the route's error holds a func", Unhashable{V: 1}, Unhashable{V: func() {}}, 500},
		{"the target holds a slice, the route returns it", target, target, http.StatusConflict},
		{"the target holds a slice, the route wraps it", target, fmt.Errorf("w: %w", target), http.StatusConflict},
		{"the target holds a slice, the route returns another", target, Unhashable{V: []int{2}}, 500},
		{"the target holds a slice, the route's error is hashable", target, Unhashable{V: 1}, 500},
		{"the target holds a slice, the route joins it", target, errors.Join(Unhashable{V: 1}, target), http.StatusConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := s.failing(t, tc.err, s.f.OnError(tc.target, conflict))
			rec := e.get("/x")
			require.Equal(t, tc.code, rec.Code, "body: %q", rec.Body.String())
			if tc.code == 500 {
				assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec), "the default page, not the minimal one")
			} else {
				assert.Equal(t, "Matched.", jsonBody(t, rec)["description"])
			}
			e.record(t)
		})
	}
}
