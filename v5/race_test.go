//go:build race

package echoerr_test

// raceEnabled reports whether the race detector is on. It makes sync.Pool
// drop a quarter of what it is given, so allocation counts vary.
const raceEnabled = true
