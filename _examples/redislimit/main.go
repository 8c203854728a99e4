// Command redislimit is a demo of echoerr's storm control with its limits
// shared across servers through Redis (RedisLimiter, limiter.go): every
// server of a fleet pointed at one Redis together logs 10 records and makes
// 5 reports per fingerprint and minute of a 5xx, however many servers
// there are. If Redis is unreachable, each server falls back to its own
// limits (fails open) and logs one warning.
//
//	redis-server --save "" --appendonly no &          # or any Redis; REDIS_ADDR=host:port
//	go run . -addr 127.0.0.1:8080 & go run . -addr 127.0.0.1:8081 &
//	for i in $(seq 20); do curl -s 127.0.0.1:8080/orders/$i >/dev/null; curl -s 127.0.0.1:8081/orders/$i >/dev/null; done
//
// Together the two print 5 "report:" lines and 10 "request failed" records;
// at the end of the minute (or on Ctrl-C) each logs one summary with the
// records and reports it left out.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/logging"

	echoerr4 "github.com/echoerr/echoerr"
	echoerr "github.com/echoerr/echoerr/v5"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	v4 := flag.Bool("v4", false, "serve with Echo v4 (echoerr's root module) instead of Echo v5")
	flag.Parse()
	redisAddr := os.Getenv("REDIS_ADDR")
	if redisAddr == "" {
		redisAddr = "127.0.0.1:6379"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// echoerr logs one warning when the limiter fails; go-redis would also
	// log each failed dial (to the standard logger, for every error within
	// the limits while Redis is down). Keep it, or route it to your logs,
	// if the application uses Redis for more than this.
	redis.SetLogger(&logging.VoidLogger{})
	rdb := NewRedisClient(redisAddr, 100*time.Millisecond)
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		fmt.Printf("redis at %s: %v; limits are this server's own until it answers\n", redisAddr, err)
	}
	limiter := &RedisLimiter{Client: rdb}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	var h http.Handler
	var flush func()
	if *v4 {
		storms := &echoerr4.StormControl{Limiter: limiter} // default limits, shared
		h, flush = newServerV4(logger, printReport, storms), storms.Flush
	} else {
		storms := &echoerr.StormControl{Limiter: limiter}
		report := func(c *echo.Context, e *echoerr.Error) { printReport(e.Code, c.Path(), e.Fingerprint) }
		h, flush = newServer(logger, report, storms), storms.Flush
	}
	defer flush() // the last window's summaries, after the server stopped

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Print(err)
		return
	}
	fmt.Printf("echoerr + Redis storm limits on http://%s (Redis %s, Echo v%d); try:\n", ln.Addr(), redisAddr, map[bool]int{false: 5, true: 4}[*v4])
	fmt.Printf("  for i in $(seq 20); do curl -s http://%s/orders/$i; done\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Print(err)
	}
}

// printReport stands for your error tracker.
func printReport(code int, route, fingerprint string) {
	fmt.Printf("report: %d %s fingerprint=%s\n", code, route, fingerprint)
}

// errDBDown is what the demo's order store fails with.
var errDBDown = errors.New("pq: connection to 10.0.0.7:5432 refused")

// newServer builds the demo application: echoerr with storm control,
// logging to logger and reporting to report.
func newServer(logger *slog.Logger, report func(*echo.Context, *echoerr.Error), storms *echoerr.StormControl) *echo.Echo {
	e := echo.New()
	h := echoerr.New(
		echoerr.WithLogger(logger),
		echoerr.WithReporter(report),
		echoerr.WithStormControl(storms),
	)
	e.HTTPErrorHandler = h
	e.Use(echoerr.Middleware(h))
	e.Use(echoerr.Recover())
	// One fingerprint per route: the order id is masked.
	e.GET("/orders/:id", func(c *echo.Context) error {
		return fmt.Errorf("load order %s: %w", c.Param("id"), errDBDown)
	})
	e.GET("/payments/:id", func(c *echo.Context) error {
		return fmt.Errorf("load payment %s: %w", c.Param("id"), errDBDown)
	})
	return e
}
