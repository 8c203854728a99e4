package echoerr

// This file reads goroutine stack traces in the format of runtime.Stack and
// runtime/debug.Stack, the format Echo's Recover middleware captures (v4
// passes it to its LogErrorFunc; v5 keeps it in middleware.PanicStackError,
// whose Error() text starts with "[PANIC RECOVER] message " and goes on
// with the stack). It imports no Echo package.

import "strings"

// firstGoroutine returns the stack of the first goroutine in s: from its
// "goroutine N [...]:" header, which may follow other text on its line (as
// in Echo v5's PanicStackError text), up to the next goroutine's header.
// runtime.Stack(buf, true), which Echo's Recover calls unless
// DisableStackAll is set, prints the calling goroutine first, then every
// other one; only the first is about the failure. A text without a header
// (a github.com/pkg/errors trace, say) is returned as it is.
func firstGoroutine(s string) string {
	start := goroutineHeader(s, 0, false)
	if start < 0 {
		return s
	}
	end := len(s)
	if nl := strings.IndexByte(s[start:], '\n'); nl >= 0 {
		if next := goroutineHeader(s, start+nl+1, true); next >= 0 {
			end = next
		}
	}
	return strings.TrimRight(s[start:end], " \t\r\n")
}

// goroutineHeader returns the index of the first goroutine header in s at
// or after from, or -1. With lineStart the header must begin a line.
// A header is "goroutine", a space, a decimal id, then " [" (the state,
// "[running]:") or " gp=" (the GOTRACEBACK=system form).
func goroutineHeader(s string, from int, lineStart bool) int {
	const word = "goroutine "
	for from < len(s) {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		from = i + len(word)
		if lineStart && i > 0 && s[i-1] != '\n' {
			continue
		}
		j := from
		for j < len(s) && j-from < 20 && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		if j == from {
			continue
		}
		if rest := s[j:]; strings.HasPrefix(rest, " [") || strings.HasPrefix(rest, " gp=") {
			return i
		}
	}
	return -1
}
