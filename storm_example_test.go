package echoerr_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr"
)

// StormControl logs and reports the first errors of each fingerprint and
// window in full, and counts the rest in one summary record: five failures
// of one database call are two records, one report and a summary. Flush
// writes the summary at once, as at shutdown; otherwise it comes when the
// window is over.
func ExampleStormControl() {
	storms := &echoerr.StormControl{Logs5xx: 2, Reports5xx: 1}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: keep}))),
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			fmt.Println("report:", fe.Fingerprint) // Sentry: event.Fingerprint = []string{fe.Fingerprint}
		}),
		echoerr.WithStormControl(storms),
	)
	e.GET("/orders/:id", func(c echo.Context) error {
		return fmt.Errorf("load order %s: %w", c.Param("id"), errDBDown)
	})

	for id := range 5 {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, fmt.Sprint("/orders/", id), nil))
	}
	storms.Flush() // at shutdown
	// Output:
	// level=ERROR msg="request failed" path=/orders/0 fingerprint=6af856578bcb27e2
	// report: 6af856578bcb27e2
	// level=ERROR msg="request failed" path=/orders/1 fingerprint=6af856578bcb27e2
	// level=ERROR msg="echoerr: repeated errors left out" fingerprint=6af856578bcb27e2 records_left_out=3 reports_left_out=4
}

var errDBDown = errors.New("pq: connection to 10.0.0.7:5432 refused")

// keep keeps the attributes the example shows.
func keep(_ []string, a slog.Attr) slog.Attr {
	if slices.Contains([]string{"level", "msg", "path", "fingerprint", "records_left_out", "reports_left_out"}, a.Key) {
		return a
	}
	return slog.Attr{}
}
