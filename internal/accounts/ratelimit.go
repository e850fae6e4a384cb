package accounts

import (
	"sync"
	"time"
)

// RateLimit configures login throttling. Failures count per key while they
// come less than Window apart; from the MaxFailures-th on, each failure
// locks the key for BaseLockout, doubled per extra failure, at most
// MaxLockout. While locked, attempts are refused without checking the
// password.
type RateLimit struct {
	MaxFailures int
	Window      time.Duration
	BaseLockout time.Duration
	MaxLockout  time.Duration
}

// limiter counts failed logins per key ("user:name", "addr:ip") in memory.
// A restart forgets the counts; that only helps someone able to restart the
// server.
type limiter struct {
	cfg RateLimit
	mu  sync.Mutex
	m   map[string]*failures
}

type failures struct {
	n           int
	last        time.Time
	lockedUntil time.Time
}

// maxLimiterKeys bounds memory under a spray of random names or addresses;
// past it, stale entries are pruned on insert.
const maxLimiterKeys = 100_000

func newLimiter(cfg RateLimit) *limiter {
	return &limiter{cfg: cfg, m: map[string]*failures{}}
}

// wait returns how long key stays locked (0: not locked).
func (l *limiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := l.m[key]; ok && now.Before(f.lockedUntil) {
		return f.lockedUntil.Sub(now)
	}
	return 0
}

// fail records a failure for key and returns the lockout it triggered (0:
// none).
func (l *limiter) fail(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.m[key]
	if !ok {
		if len(l.m) >= maxLimiterKeys {
			l.pruneLocked(now)
		}
		f = &failures{}
		l.m[key] = f
	}
	if now.Sub(f.last) > l.cfg.Window && !now.Before(f.lockedUntil) {
		f.n = 0
	}
	f.n++
	f.last = now
	if f.n < l.cfg.MaxFailures {
		return 0
	}
	d := l.cfg.BaseLockout
	for i := l.cfg.MaxFailures; i < f.n && d < l.cfg.MaxLockout; i++ {
		d *= 2
	}
	d = min(d, l.cfg.MaxLockout)
	f.lockedUntil = now.Add(d)
	return d
}

// reset forgets key's failures (after a successful login).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, key)
}

// prune drops entries neither locked nor within the window.
func (l *limiter) prune(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneLocked(now)
}

func (l *limiter) pruneLocked(now time.Time) {
	for k, f := range l.m {
		if now.Sub(f.last) > l.cfg.Window && !now.Before(f.lockedUntil) {
			delete(l.m, k)
		}
	}
}
