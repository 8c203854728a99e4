package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// holder is a comparable error type whose field may hold a value that ==
// and hashing refuse (a slice, a map, a func).
type holder struct{ v any }

func (h holder) Error() string { return "holder" }

// Invariant 6: comparing any two error values never panics; values that ==
// refuses are compared by reflect.DeepEqual.
func TestSameNeverPanicsAndComparesUncomparableValuesDeeply(t *testing.T) {
	a, b := holder{[]int{1}}, holder{[]int{1}}
	assert.True(t, same(a, b))
	assert.False(t, same(a, holder{[]int{2}}))
	assert.False(t, same(a, holder{1}))
	assert.False(t, same(holder{func() {}}, holder{func() {}}), "funcs are never equal")
	assert.True(t, same(nil, nil))
}

// Invariant 2: the exactly-once rule; an error and a wrapper of it hold one
// another either way, and two wrappers of one cause do not.
func TestHoldsFindsAnErrorInsideWrappersAndJoins(t *testing.T) {
	boom := errors.New("boom")
	wrapped := fmt.Errorf("mw: %w", boom)
	assert.True(t, holds(wrapped, boom))
	assert.True(t, holds(errors.Join(errors.New("x"), fmt.Errorf("y: %w", boom)), boom))
	assert.False(t, holds(boom, wrapped))
	assert.False(t, holds(fmt.Errorf("a: %w", boom), fmt.Errorf("b: %w", boom)))
	assert.True(t, holds(fmt.Errorf("w: %w", holder{[]int{1}}), holder{[]int{1}}))
}

// Invariant 6: http.ErrAbortHandler anywhere in the chain aborts.
func TestAbortsSeesErrAbortHandlerInTheChain(t *testing.T) {
	assert.True(t, aborts(http.ErrAbortHandler))
	assert.True(t, aborts(fmt.Errorf("stream: %w", http.ErrAbortHandler)))
	assert.True(t, aborts(errors.Join(errors.New("x"), http.ErrAbortHandler)))
	assert.False(t, aborts(errors.New("net/http: abort Handler")), "the text alone is not the value")
	assert.False(t, aborts(nil))
}

// Invariant 1: a done context without net/http's close notification is no
// evidence that the client left when a net/http server serves the request;
// without a server, the context is the only word there is.
func TestClientGoneNeedsEvidenceOnANetHTTPServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), http.ServerContextKey, &http.Server{}))
	cancel()
	onServer := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	assert.False(t, clientGone(onServer, httptest.NewRecorder()), "behind a writer that hides the connection: cannot tell, not gone")

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	off := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	assert.True(t, clientGone(off, httptest.NewRecorder()))

	waiting := httptest.NewRequest(http.MethodGet, "/", nil)
	assert.False(t, clientGone(waiting, httptest.NewRecorder()))
}
