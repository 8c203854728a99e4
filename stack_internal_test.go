package echoerr

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFirstGoroutine(t *testing.T) {
	const first = "goroutine 7 [running]:\nmain.handler()\n\t/app/main.go:12 +0x1d\n" +
		"created by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4"
	tests := []struct{ name, in, want string }{
		{"one goroutine", first + "\n", first},
		{"every goroutine, as runtime.Stack(buf, true)", first + "\n\ngoroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:30 +0x2a\n\n" +
			"goroutine 9 [IO wait]:\ninternal/poll.runtime_pollWait()\n", first},
		{"Echo v5 PanicStackError text", "[PANIC RECOVER] boom " + first + "\n\ngoroutine 1 [select]:\nmain.main()\n", first},
		{"GOTRACEBACK=system header", "goroutine 1 gp=0xc000002380 m=0 mp=0x5b6b40 [running]:\nmain.main()\n\t/app/main.go:3 +0x1\n\ngoroutine 2 gp=0xc000002a80 m=nil [force gc (idle)]:\n",
			"goroutine 1 gp=0xc000002380 m=0 mp=0x5b6b40 [running]:\nmain.main()\n\t/app/main.go:3 +0x1"},
		{"no header: a pkg/errors trace stays whole", "\nmain.load\n\t/src/app/main.go:1\nmain.handler\n\t/src/app/main.go:9", "\nmain.load\n\t/src/app/main.go:1\nmain.handler\n\t/src/app/main.go:9"},
		{"a header must begin a line after the first", first + " goroutine 2 [select]:", first + " goroutine 2 [select]:"},
		{"not a header: no id", "goroutine [running]:\nx", "goroutine [running]:\nx"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, firstGoroutine(tc.in))
		})
	}
}
