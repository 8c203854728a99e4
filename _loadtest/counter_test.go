package main

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// summary logs a summary record as echoerr writes one.
func summary(l *slog.Logger, fp string, records, reports int) {
	l.LogAttrs(context.Background(), slog.LevelError, summaryMessage,
		slog.String("fingerprint", fp), slog.Int("records_left_out", records), slog.Int("reports_left_out", reports))
}

func TestCounterCountsRecordsAndSummaries(t *testing.T) {
	var c counter
	l := slog.New(&c).With("k", "v").WithGroup("g")
	assert.True(t, l.Enabled(context.Background(), slog.LevelDebug-4), "every level: echoerr must write every record")
	for range 3 {
		c.handled(404)
		l.Info("request failed")
	}
	for range 7 {
		c.handled(500)
	}
	l.Error("request failed")
	c.report()
	summary(l, "6af856578bcb27e2", 6, 6)
	summary(l, "other", 2, 0)
	got := c.snapshot()
	assert.Equal(t, counts{
		Errors: 10, Reportable: 7, Records: 4, Reports: 1, Summaries: 2,
		RecordsLeftOut: 8, ReportsLeftOut: 6, OtherLeftOut: 2, AddUp: false,
	}, got, "4 + 8 records are 12, not the 10 errors")
	c.handled(404)
	c.handled(404)
	got = c.snapshot()
	assert.True(t, got.AddUp, "4 + 8 records of 12 errors, 1 + 6 reports of 7 reportable: %+v", got)
}

func TestCountsAddUp(t *testing.T) {
	ok := counts{Errors: 10, Reportable: 4, Records: 3, RecordsLeftOut: 7, Reports: 1, ReportsLeftOut: 3}
	assert.True(t, ok.addUp())
	records, reports := ok, ok
	records.RecordsLeftOut--
	reports.ReportsLeftOut++
	assert.False(t, records.addUp(), "a record lost")
	assert.False(t, reports.addUp(), "a report counted twice")
}

func TestCounterSummaryWithAStrangeCount(t *testing.T) {
	var c counter
	c.handled(404)
	slog.New(&c).Error(summaryMessage, "records_left_out", "1")
	assert.False(t, c.snapshot().AddUp, "a count that is not an integer does not add up")
}

func TestCounterIsSafeForConcurrentUse(t *testing.T) {
	var c counter
	l := slog.New(&c)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				c.handled(500)
				l.Error("request failed")
				c.report()
			}
		})
	}
	wg.Wait()
	got := c.snapshot()
	assert.Equal(t, int64(8000), got.Errors)
	assert.True(t, got.AddUp)
}
