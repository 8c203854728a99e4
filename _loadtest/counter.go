package main

import (
	"context"
	"log/slog"
	"sync/atomic"
)

// summaryMessage is the message of echoerr's summary records (see
// StormControl).
const summaryMessage = "echoerr: repeated errors left out"

// counter is the storm mode's tally, safe for concurrent use: the errors
// the server handled (and how many of them were reportable), the log
// records and reports written in full, and, from the summary records, the
// records and reports left out. As a slog.Handler it counts records
// instead of writing them; every level is enabled, so that echoerr writes
// (or summarises) every record.
type counter struct {
	errors, reportable atomic.Int64
	records, reports   atomic.Int64
	summaries          atomic.Int64
	recordsLeftOut     atomic.Int64
	reportsLeftOut     atomic.Int64
	otherLeftOut       atomic.Int64 // records and reports left out under the fingerprint "other"
}

// counts is a snapshot of a counter, as GET /_storm answers it.
type counts struct {
	Errors         int64  `json:"errors"`           // errors handled
	Reportable     int64  `json:"reportable"`       // of them, 5xx: those the reporter is offered
	Records        int64  `json:"records"`          // log records in full (summaries not included)
	Reports        int64  `json:"reports"`          // reporter calls
	Summaries      int64  `json:"summaries"`        // summary records
	RecordsLeftOut int64  `json:"records_left_out"` // summed over the summaries
	ReportsLeftOut int64  `json:"reports_left_out"` // summed over the summaries
	OtherLeftOut   int64  `json:"other_left_out"`   // records_left_out + reports_left_out of the "other" summaries
	AddUp          bool   `json:"add_up"`           // see addUp
	HeapInuse      uint64 `json:"heap_inuse"`       // bytes, after runtime.GC (set by GET /_storm)
}

// handled counts an error whose response has status.
func (c *counter) handled(status int) {
	c.errors.Add(1)
	if status >= 500 {
		c.reportable.Add(1)
	}
}

// report counts a reporter call.
func (c *counter) report() { c.reports.Add(1) }

// snapshot returns the counts so far.
func (c *counter) snapshot() counts {
	n := counts{
		Errors:         c.errors.Load(),
		Reportable:     c.reportable.Load(),
		Records:        c.records.Load(),
		Reports:        c.reports.Load(),
		Summaries:      c.summaries.Load(),
		RecordsLeftOut: c.recordsLeftOut.Load(),
		ReportsLeftOut: c.reportsLeftOut.Load(),
		OtherLeftOut:   c.otherLeftOut.Load(),
	}
	n.AddUp = n.addUp()
	return n
}

// addUp reports whether nothing was lost: the records in full plus those
// left out are the errors handled, and the reports in full plus those
// left out are the reportable errors, exactly.
func (n counts) addUp() bool {
	return n.Records+n.RecordsLeftOut == n.Errors && n.Reports+n.ReportsLeftOut == n.Reportable
}

// Enabled is true at every level.
func (c *counter) Enabled(context.Context, slog.Level) bool { return true }

// Handle counts r: a summary record by its counts, any other as a record
// in full.
func (c *counter) Handle(_ context.Context, r slog.Record) error {
	if r.Message != summaryMessage {
		c.records.Add(1)
		return nil
	}
	c.summaries.Add(1)
	var records, reports int64
	other := false
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "records_left_out":
			records = intValue(a.Value)
		case "reports_left_out":
			reports = intValue(a.Value)
		case "fingerprint":
			other = a.Value.String() == "other"
		}
		return true
	})
	c.recordsLeftOut.Add(records)
	c.reportsLeftOut.Add(reports)
	if other {
		c.otherLeftOut.Add(records + reports)
	}
	return nil
}

// intValue is v as an integer, or -1 when it is not one: a count that
// no longer adds up, rather than a panic.
func intValue(v slog.Value) int64 {
	if v.Kind() != slog.KindInt64 {
		return -1
	}
	return v.Int64()
}

// WithAttrs returns c: attributes do not change what is counted.
func (c *counter) WithAttrs([]slog.Attr) slog.Handler { return c }

// WithGroup returns c.
func (c *counter) WithGroup(string) slog.Handler { return c }
