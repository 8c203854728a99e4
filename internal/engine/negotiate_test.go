package engine

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

var testOffers = [][]string{
	{"application/json"},
	{"text/html"},
	{"application/problem+json", "application/json"},
	{"text/plain"},
}

func TestNegotiateChoosesByQualityThenSpecificityThenOrder(t *testing.T) {
	tests := []struct {
		accept string
		want   int
	}{
		{"", 0},
		{"*/*", 0},
		{"text/html", 1},
		{"TEXT/HTML", 1},
		{" text/html ; q=1 ", 1},
		{"text/*", 1},
		{"text/*;q=0.5, text/plain", 3},
		{"text/html;level=1;q=0.2, text/html;q=0.9, text/plain;q=0.5", 1},
		{"text/html;q=0", 0},
		{"text/html;q=0, text/plain;q=0", 0},
		{"*/*;q=0, text/plain;q=0.001", 3},
		{"application/problem+json", 2},
		{"application/json;q=0.9, application/problem+json", 2},
		{"application/*", 0},
		{"text/html;q=0.5, application/json;q=0.5", 0},
		{"text/html;q=0.501, application/json;q=0.5", 1},
		{"text/html;q=1.0", 1},
		{"text/html;q=1.001, text/plain", 3}, // an invalid q-value drops the element
		{"text/html;q=abc, text/plain", 3},
		{"text/html;q=, text/plain", 3},
		{"text/html;q=0.5000, text/plain;q=0.4", 1},
		{"text/html;charset=utf-8", 1},
		{`text/html;foo="a,b";q=0.1, text/plain;q=0.2`, 3},
		// A ";q=" inside a quoted parameter value is part of that value,
		// not the element's q-value.
		{`text/html;level="1;q=0", application/json;q=0.5`, 1},
		{`text/html;charset="utf-8;q=0";q=0.8, application/json;q=0.5`, 1},
		{`text/html;x="a\";q=0";q=0.9, application/json;q=0.5`, 1},
		{`application/json;profile="p;q=1";q=0.1, text/html;q=0.5`, 1},
		{"*/html, text/plain;q=0.1", 3},
		{"garbage", 0},
		{",,,", 0},
		{";q=1", 0},
		{"/", 0},
		{"text/", 0},
		{"image/png", 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, negotiate(tc.accept, testOffers), "Accept: %q", tc.accept)
	}
}

func TestNegotiateSurvivesGarbageAndHugeHeaders(t *testing.T) {
	huge := strings.Repeat("text/plain;q=0.1, ", 64<<10/18) + "text/html"
	assert.Equal(t, 1, negotiate(huge, testOffers))
	for _, accept := range []string{
		strings.Repeat("a", 64<<10),
		strings.Repeat(",", 64<<10),
		strings.Repeat(";", 64<<10),
		strings.Repeat("\"", 64<<10),
		strings.Repeat("*/*;q=", 64<<10/6),
		strings.Repeat("\\", 64<<10),
		"text/html;q=\x00\xff", "\xff\xfe/\x00", "text/html;q=0.\xff",
		`text/html;"q=1`, `text/html;q="1"`,
	} {
		assert.NotPanics(t, func() {
			i := negotiate(accept, testOffers)
			assert.GreaterOrEqual(t, i, 0)
			assert.Less(t, i, len(testOffers))
		})
	}
	assert.Equal(t, 0, negotiate("text/html", nil), "no offers at all")
}

func TestNegotiateAllocatesNothing(t *testing.T) {
	const chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
	allocs := testing.AllocsPerRun(100, func() { negotiate(chrome, testOffers) })
	assert.Zero(t, allocs)
}

func BenchmarkNegotiateChrome(b *testing.B) {
	const chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
	b.ReportAllocs()
	for b.Loop() {
		negotiate(chrome, testOffers)
	}
}

// TestNegotiateManyOffers: past the 16 offered types negotiate keeps on
// its stack, the choice is the same.
func TestNegotiateManyOffers(t *testing.T) {
	const pad = 16
	many := make([][]string, 0, pad+len(testOffers))
	for range pad {
		many = append(many, []string{"image/png"})
	}
	many = append(many, testOffers...) // JSON at pad, HTML next, ...
	tests := []struct {
		accept string
		want   int
	}{
		{"", 0},
		{"*/*", 0},
		{"image/png;q=0, */*", pad},
		{"text/html", pad + 1},
		{"text/plain;q=0.5, text/html;q=0.4", pad + 3},
		{"application/problem+json", pad + 2},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, negotiate(tc.accept, many), "Accept: %q", tc.accept)
	}
}

func TestNegotiatorIsSafeForConcurrentUse(t *testing.T) {
	n := Negotiate(JSON(), HTML(), Problem(), Text()).(*negotiator)
	headers := map[string]int{"text/html": 1, "*/*": 0, "text/plain": 3, "application/problem+json": 2, "": 0}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				for accept, want := range headers {
					req, _ := http.NewRequest(http.MethodGet, "/", nil)
					req.Header.Set("Accept", accept)
					if got := n.pick(req); got != n.renderers[want] {
						t.Errorf("pick(%q) = %T, want %T", accept, got, n.renderers[want])
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestAcceptOfJoinsSeveralLinesIntoOneList: invariant 7, a list field
// sent over several lines is one list.
func TestAcceptOfJoinsSeveralLinesIntoOneList(t *testing.T) {
	assert.Equal(t, "", acceptOf(http.Header{}))
	assert.Equal(t, "text/html", acceptOf(http.Header{"Accept": {"text/html"}}))
	assert.Equal(t, "*/*;q=0.8,text/html", acceptOf(http.Header{"Accept": {"*/*;q=0.8", "text/html"}}))
}

func TestNegotiatorRemembersAFewAcceptValuesAndPicksAsNegotiateDoes(t *testing.T) {
	n := Negotiate(JSON(), HTML(), Text()).(*negotiator)
	accepts := []string{"", "text/html", "text/plain;q=0.5, text/html;q=0.4", strings.Repeat("x/y, ", 200) + "text/plain"}
	for i := range 3 * maxPicks {
		accepts = append(accepts, "application/x-"+strconv.Itoa(i)+";q=0."+strings.Repeat("9", i%3+1)+", text/html;q=0.5")
	}
	for round := 0; round < 2; round++ {
		for _, a := range accepts {
			req, _ := http.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept", a)
			assert.Same(t, n.renderers[negotiate(a, n.offers)], n.pick(req), "Accept %q", a)
		}
	}
	kept := 0
	n.picks.Range(func(k, _ any) bool {
		kept++
		assert.LessOrEqual(t, len(k.(string)), maxPickedAccept)
		return true
	})
	assert.Equal(t, maxPicks, kept)
}
