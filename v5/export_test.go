package echoerr

import "github.com/echoerr/echoerr/internal/engine/storm"

// SetStormClock gives s a clock before WithStormControl reads it: the test
// seam through which the shared suite's fake clock drives storm control.
func SetStormClock(s *StormControl, c storm.Clock) { s.clock = c }
