package engine

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// panicCarrier is an error whose text holds a stack, as Echo v5's
// PanicStackError does; carrierFace recognizes it, as the v5 face does.
type panicCarrier struct {
	stack []byte
	err   error
}

func (p *panicCarrier) Error() string {
	return "[PANIC RECOVER] " + p.err.Error() + " " + string(p.stack)
}
func (p *panicCarrier) Unwrap() error { return p.err }

type carrierFace struct{ nilFace }

func (carrierFace) Link(link error) Link {
	if p, ok := link.(*panicCarrier); ok {
		return Link{Stack: p.stack, Cause: p.err}
	}
	return Link{}
}

// chainTexts lists err's chain as chainView lists it.
func chainTexts(face Face, err error) (types, texts []string) {
	newChainView(face, err).list(nil, func(typ, text string) {
		types, texts = append(types, typ), append(texts, text)
	})
	return types, texts
}

// Invariant 3: a chain lists at most MaxChainLinks links, the first and
// the last ones, with a note of how many were left out between them, and
// each link's text at most MaxLinkText bytes and a note.
func TestChainListIsBoundedInLinksAndText(t *testing.T) {
	err := errors.New("root cause")
	for i := range 600 {
		err = fmt.Errorf("wrapper %d: %w", i, err)
	}
	types, texts := chainTexts(nilFace{}, err)
	require.Len(t, texts, MaxChainLinks+1)
	half := MaxChainLinks / 2
	assert.Equal(t, "…", types[half])
	assert.Equal(t, fmt.Sprintf("%d links left out", 601-MaxChainLinks), texts[half])
	assert.Equal(t, "wrapper 599: …", texts[0], "a long %w text shows the link's own part")
	assert.Equal(t, "root cause", texts[len(texts)-1], "the innermost link is listed")
	for _, s := range texts {
		assert.LessOrEqual(t, len(s), MaxLinkText+32)
	}
}

// Invariant 3: a text longer than the bound is cut at a character
// boundary, saying how much was left out; a shorter one is whole.
func TestClipCutsAtACharacterAndSaysHowMuch(t *testing.T) {
	assert.Equal(t, "short", clip("short", 8))
	assert.Equal(t, "ab… (4 more bytes)", clip("abééx"[:6], 3), "é is two bytes: the cut backs off to its start")
	assert.Equal(t, strings.Repeat("x", 10)+"… (5 more bytes)", clip(strings.Repeat("x", 15), 10))
}

// Invariant 4: the text of a link wrapping a panic carrier loses the
// carrier's stack (shown apart, the panicking goroutine's only), and keeps
// the panic's value; the carrier itself is not listed.
func TestChainListCutsACarriersStackFromTheLinksWrappingIt(t *testing.T) {
	stack := "goroutine 7 [running]:\nmain.f()\n\t/app/main.go:3\n\ngoroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:9\n"
	err := fmt.Errorf("outer: %w", &panicCarrier{stack: []byte(stack), err: errors.New("panic value")})
	_, texts := chainTexts(carrierFace{}, err)
	assert.Equal(t, []string{"outer: [PANIC RECOVER] panic value ", "panic value"}, texts)
	assert.Equal(t, "outer: [PANIC RECOVER] panic value ", boundedErrorText(carrierFace{}, err, nil))
}
