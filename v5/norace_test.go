//go:build !race

package echoerr_test

// raceEnabled: see race_test.go.
const raceEnabled = false
