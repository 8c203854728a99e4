package engine

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The bounds of what the engine writes about an error, in its log records,
// its debug detail (pages, JSON members, the copy-report text) and so in
// what reporters get, whatever the chain's depth or text. A public
// description (an HTTPError's message, an *Error's Description) is the
// application's own text for its client and is never cut.
const (
	// MaxChainLinks is the most links of an error chain that are listed:
	// the first and the last MaxChainLinks/2 of the chain (as far as
	// echoerr walks it: 1024 links), with one entry between them saying
	// how many were left out.
	MaxChainLinks = 32
	// MaxLinkText is the most bytes of one listed link's text. A longer
	// text that ends with the next link's text (fmt.Errorf's %w wrapping)
	// is shown as its own part followed by "…"; what is still longer is
	// cut, with a note of how many bytes were left out.
	MaxLinkText = 1 << 10
	// MaxErrorText is the most bytes of an error's whole text in a log
	// record (its error, handler_error, render_error and panic
	// attributes), cut in the same way.
	MaxErrorText = 8 << 10
	// MaxStackText is the most bytes of a stack, logged or shown: the
	// failing goroutine's, which the runtime prints with at most 100
	// frames, fits; a Stack method of an error may return any text.
	MaxStackText = 64 << 10
)

// chainView is an error chain as the engine lists it: its visible links
// (a recovered panic's wrapper is left out, its cause follows: what it adds
// is the stack, shown apart), and the stacks of the recovered panics in it,
// which are cut from the text of the links that wrap them.
type chainView struct {
	face   Face
	links  []error
	stacks *matcher
	full   bool // the walk stopped at maxLinks
}

func newChainView(face Face, err error) *chainView {
	v := &chainView{face: face}
	var stacks []string
	n := 0
	walk(err, func(link error) bool {
		n++
		if stack, _ := panicOf(face, link); stack != nil {
			stacks = append(stacks, string(stack))
		} else {
			v.links = append(v.links, link)
		}
		return false
	})
	v.full = n >= maxLinks
	v.stacks = newMatcher(stacks)
	return v
}

// list calls add for each listed link with its type and its text, redacted
// by r (nil: as it is), and once between the first and the last links
// listed with the type "…" and a note of how many were left out.
func (v *chainView) list(r *redactor, add func(typ, text string)) {
	half := MaxChainLinks / 2
	for i, link := range v.links {
		if i == half && len(v.links) > MaxChainLinks {
			left := len(v.links) - MaxChainLinks
			note := strconv.Itoa(left) + " links left out"
			if v.full {
				note += "; echoerr reads the first " + strconv.Itoa(maxLinks) + " links of a chain"
			}
			add("…", note)
		}
		if i >= half && i < len(v.links)-half {
			continue
		}
		add(fmt.Sprintf("%T", link), v.linkText(i, r))
	}
}

// linkText is the text of the i-th visible link, redacted by r and bounded
// by MaxLinkText: a long text that ends with the next link's text (%w
// wrapping) is shown as its own part followed by "…".
func (v *chainView) linkText(i int, r *redactor) string {
	s := v.text(v.links[i])
	if len(s) <= MaxLinkText || i+1 == len(v.links) {
		return r.clip(s, MaxLinkText)
	}
	if inner := v.text(v.links[i+1]); inner != "" && len(inner) < len(s) && strings.HasSuffix(s, inner) {
		return r.clip(s[:len(s)-len(inner)], MaxLinkText) + "…"
	}
	return r.clip(s, MaxLinkText)
}

// text is err's text without the stacks of the panics in the chain, and
// without any goroutine but the first of a dump of several (see
// oneGoroutine).
func (v *chainView) text(err error) string {
	return cutStacks(v.stacks, errorText(v.face, err))
}

// cutStacks returns s without the occurrences of stacks' patterns, then
// without the goroutines after the first of a dump of several.
func cutStacks(stacks *matcher, s string) string {
	spans := stacks.cover(s, func(string, int, int) verdict { return take })
	return oneGoroutine(replaceSpans(s, spans, ""))
}

// boundedErrorText is the text of err for a log record's error attribute,
// redacted by r: a recovered panic's is its cause's; the stacks of the
// panics in the chain are left out, and the text is cut at MaxErrorText
// bytes.
func boundedErrorText(face Face, err error, r *redactor) string {
	var stacks []string
	walk(err, func(link error) bool {
		if stack, _ := panicOf(face, link); len(stack) > 0 {
			stacks = append(stacks, string(stack))
		}
		return false
	})
	return r.clip(cutStacks(newMatcher(stacks), errorText(face, err)), MaxErrorText)
}

// boundedText is s for a log record, redacted by r: without goroutines
// after the first of a dump of several, cut at MaxErrorText bytes.
func boundedText(s string, r *redactor) string { return r.clip(oneGoroutine(s), MaxErrorText) }

// clip returns s cut to at most max bytes (at a character boundary),
// followed by a note of how many bytes were left out.
func clip(s string, max int) string { return clipNoting(s, max, 0) }

// clipNoting is clip for a text of which more bytes were already left
// out.
func clipNoting(s string, max, more int) string {
	if len(s) <= max && more == 0 {
		return s
	}
	cut := min(max, len(s))
	for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (" + strconv.Itoa(len(s)-cut+more) + " more bytes)"
}
