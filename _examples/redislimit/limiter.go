package main

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/echoerr/echoerr/httperr"
)

// RedisLimiter is an httperr.Limiter whose counts live in Redis, so that a
// fleet of servers sharing one Redis shares one limit per fingerprint and
// window: fifty replicas allowing ten reports a minute report ten a
// minute, not 500. Give it to StormControl.Limiter.
//
// It is a fixed-window counter, as httperr.Limiter describes: the key
// names the window already (its start is in it), so Allow increments the
// key, sets its expiry on the first call, and allows while the count is
// at most limit. Both happen in one Lua script, in one round trip and
// atomically: no key is left without an expiry, and it works on any Redis
// (EXPIRE ... NX, the pipeline alternative, needs Redis 7).
//
// An error (Redis down, unreachable, slow past Timeout) is returned as
// is: storm control then fails open, logging and reporting the error in
// full within the process's own limits, never dropping it, and logs one
// warning until Redis answers again.
type RedisLimiter struct {
	// Client is the Redis client: a *redis.Client, *redis.ClusterClient
	// (one key per call, so any slot) or *redis.Ring. Give it no retries
	// (MaxRetries: -1): INCR is not idempotent, and a retry after a lost
	// answer counts twice.
	Client redis.Scripter
	// Prefix is put before every key; "" means "echoerr:".
	Prefix string
	// Timeout bounds each call: storm control asks the limiter on the
	// request's path (for the first errors of a fingerprint and window
	// only), and a failing call fails open. 0 means 100ms.
	Timeout time.Duration
}

var _ httperr.Limiter = (*RedisLimiter)(nil)

// allowScript counts one call for KEYS[1] and returns the count; the first
// call sets the expiry, ARGV[1] milliseconds.
var allowScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then
	redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
`)

// Allow reports whether this call is among the first limit calls for key
// across every process sharing the Redis.
func (l *RedisLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	timeout, prefix := l.Timeout, l.Prefix
	if timeout <= 0 {
		timeout = 100 * time.Millisecond
	}
	if prefix == "" {
		prefix = "echoerr:"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// EVALSHA, and EVAL once when Redis does not know the script yet.
	n, err := allowScript.Run(ctx, l.Client, []string{prefix + key}, window.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("redis limiter: %w", err)
	}
	return n <= int64(limit), nil
}

// NewRedisClient returns a client for the limiter at addr: no retries (see
// RedisLimiter.Client), one dial attempt per call, and timeouts of
// timeout, so that an unreachable Redis fails each call fast.
func NewRedisClient(addr string, timeout time.Duration) *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:                  addr,
		MaxRetries:            -1,
		DialerRetries:         1,
		DialTimeout:           timeout,
		ReadTimeout:           timeout,
		WriteTimeout:          timeout,
		ContextTimeoutEnabled: true,
	})
}
