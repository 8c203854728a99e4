// Command loadserver serves the routes of the end-to-end load test
// (scripts/loadtest) on loopback, on Echo v4 or Echo v5, with Echo's own
// default error handler, with echoerr, or with a floor handler that writes
// the very bytes echoerr writes, from constants:
//
//	loadserver -face v4 -handler default -addr 127.0.0.1:18080
//	loadserver -face v5 -handler echoerr
//	loadserver -face v5 -handler floor
//	loadserver -face v4 -handler echoerr -cpuprofile cpu.out   (written on SIGINT/SIGTERM)
//	loadserver -face v5 -storm on     (storm mode, for scripts/storm; -storm off: without limits)
//
// Routes, the same everywhere: GET /ok answers 200; any unknown URL is a
// 404; GET /fail fails with an unknown error, a 500. A request with a
// browser's Accept (browserAccept) gets echoerr's HTML page, which the
// floor writes too, from the bytes echoerr wrote once at start-up. GET /_allocs, outside
// Echo, answers the number of heap objects the process allocated so far
// (runtime.MemStats.Mallocs), from which scripts/loadtest
// derives the allocations per request. GET /fail/0 to /fail/7 are eight
// more routes failing as /fail does; GET /files/NAME is a 404 whose
// error quotes NAME, a fingerprint for each name.
//
// In storm mode (-storm on or off, the echoerr handler) echoerr logs to a
// counter instead of a logger and reports to it (WithReporter), with storm
// control at its recommended setting (-storm on: a zero StormControl) or
// without it (off); GET /_storm, outside Echo, flushes storm control and
// answers the counts as JSON, with the heap in use after garbage
// collection (see storm.go and counter.go).
//
// echoerr runs with its defaults except for the logger, which discards
// records: Echo's default handler logs nothing, so a logger writing to
// stderr would measure the terminal, not the handler. This program links
// both Echos, which a face never does: it is a measuring tool, not an app.
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
)

// errDB is what /fail returns: an error without a status.
var errDB = errors.New("db: connection refused")

// failRoutes is the number of routes /fail/N.
const failRoutes = 8

// quiet discards log records, as Echo's default handler writes none.
var quiet = slog.New(slog.DiscardHandler)

// floorBodies are the bodies echoerr's default renderer writes for the 404
// and the 500 of this server when the request has no Accept header (JSON).
var floorBodies = map[int]string{
	http.StatusNotFound:            `{"code":404,"name":"Not Found","description":"The requested URL was not found on this server."}` + "\n",
	http.StatusInternalServerError: `{"code":500,"name":"Internal Server Error","description":"The server encountered an internal error and could not complete the request."}` + "\n",
}

// browserAccept is Chrome's Accept header: the load test's HTML case.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"

// page is a response captured once: the floor writes it as it is.
type page struct {
	header http.Header
	body   []byte
}

// customPrefix is where echoerr's scope with the user's own 404 page
// (pages/404.html, through HTML(TemplateFS)) is: the HTML case of a custom
// page.
const customPrefix = "/custom"

//go:embed pages/*.html
var pagesDir embed.FS

// userPages are the pages of the custom scope.
func userPages() fs.FS {
	sub, err := fs.Sub(pagesDir, "pages")
	if err != nil {
		panic(err)
	}
	return sub
}

// pages are responses captured once, by path prefix: the floor writes them
// as they are.
type pages map[string]page

// capturePages returns what h answers a browser for an unknown URL, inside
// the custom scope and outside.
func capturePages(h http.Handler) pages {
	ps := pages{}
	for _, prefix := range []string{"", customPrefix} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, prefix+"/no/such/page", nil)
		req.Header.Set("Accept", browserAccept)
		h.ServeHTTP(rec, req)
		ps[prefix] = page{header: rec.Header().Clone(), body: rec.Body.Bytes()}
	}
	return ps
}

// of returns the page captured for r's path.
func (ps pages) of(r *http.Request) page {
	if strings.HasPrefix(r.URL.Path, customPrefix+"/") {
		return ps[customPrefix]
	}
	return ps[""]
}

// writeFloor writes what echoerr writes for code, from constants: its
// headers (Vary because the default renderer negotiates) and its body; to
// a browser (the 404 of the HTML cases), the page echoerr wrote at start-up
// for that path.
func writeFloor(w http.ResponseWriter, r *http.Request, code int, captured pages) {
	h := w.Header()
	if r.Header.Get("Accept") == browserAccept {
		html := captured.of(r)
		for k, v := range html.header {
			h[k] = v
		}
		w.WriteHeader(code)
		_, _ = w.Write(html.body)
		return
	}
	h["Cache-Control"] = []string{"no-store"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	h["Content-Type"] = []string{"application/json"}
	h["Vary"] = []string{"Accept"}
	w.WriteHeader(code)
	_, _ = w.Write([]byte(floorBodies[code]))
}

func main() {
	face := flag.String("face", "v4", "Echo major version: v4 or v5")
	handler := flag.String("handler", "echoerr", "error handler: default (Echo's), echoerr or floor")
	addr := flag.String("addr", "127.0.0.1:18080", "listen address (keep it on loopback)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file, from start to SIGINT or SIGTERM")
	stormFlag := flag.String("storm", "", "storm mode, with the echoerr handler: on (storm control's recommended limits) or off (none)")
	flag.Parse()
	switch *handler {
	case "default", "echoerr", "floor":
	default:
		log.Fatalf("unknown -handler %q: want default, echoerr or floor", *handler)
	}
	var st *stormMode
	switch *stormFlag {
	case "":
	case "on", "off":
		if *handler != "echoerr" {
			log.Fatalf("-storm needs -handler echoerr")
		}
		st = &stormMode{limits: *stormFlag == "on"}
	default:
		log.Fatalf("unknown -storm %q: want on or off", *stormFlag)
	}
	var h http.Handler
	switch *face {
	case "v4":
		h = serverV4(*handler, st)
	case "v5":
		h = serverV5(*handler, st)
	default:
		log.Fatalf("unknown -face %q: want v4 or v5", *face)
	}
	if st != nil {
		h = withStorm(h, st)
	}
	fmt.Fprintf(os.Stderr, "loadserver: Echo %s, %s handler, storm mode %q, on http://%s (pid %d)\n", *face, *handler, *stormFlag, *addr, os.Getpid())
	if *cpuprofile != "" {
		stop := profileCPU(*cpuprofile)
		defer stop()
	}
	srv := &http.Server{Addr: *addr, Handler: withAllocs(h)}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

// profileCPU starts a CPU profile written to path and returns what stops
// it.
func profileCPU(path string) (stop func()) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

// withAllocs answers GET /_allocs with the heap objects allocated so far,
// and passes every other request to h.
func withAllocs(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_allocs" {
			h.ServeHTTP(w, r)
			return
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m) // exact: it flushes the per-P caches
		fmt.Fprintln(w, m.Mallocs)
	})
}
