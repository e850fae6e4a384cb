package accounts

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes the Service. Zero fields take the defaults of DefaultConfig.
type Config struct {
	// IdleTimeout ends a session unused for this long (default 1 h); the
	// absolute timeout ends it regardless (default 12 h).
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// AccountLimit throttles failures per username (default 5 within 15
	// min, then 1 min doubling up to 1 h); AddressLimit per remote address
	// (default 20, as offices share one address behind NAT).
	AccountLimit RateLimit
	AddressLimit RateLimit
	// Hash are the argon2id parameters for new password hashes.
	Hash HashParams
	// ProtectedPrefixes are path prefixes where Middleware answers 401 to
	// anonymous requests (default "/api/"), except PublicPaths (default
	// "/api/v1/login").
	ProtectedPrefixes []string
	PublicPaths       []string
	// TrustedOrigins may send cross-origin state-changing requests, e.g.
	// "https://portal.tayninh.gov.vn" (scheme://host[:port]).
	TrustedOrigins []string
	// SecureCookie marks the session cookie Secure even on plain HTTP, for a
	// server behind a TLS-terminating proxy. On TLS it is always Secure.
	SecureCookie bool
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
}

// DefaultConfig returns the defaults documented on Config.
func DefaultConfig() Config {
	return Config{
		IdleTimeout:       time.Hour,
		AbsoluteTimeout:   12 * time.Hour,
		AccountLimit:      RateLimit{MaxFailures: 5, Window: 15 * time.Minute, BaseLockout: time.Minute, MaxLockout: time.Hour},
		AddressLimit:      RateLimit{MaxFailures: 20, Window: 15 * time.Minute, BaseLockout: time.Minute, MaxLockout: time.Hour},
		Hash:              DefaultHashParams(),
		ProtectedPrefixes: []string{"/api/"},
		PublicPaths:       []string{"/api/v1/login"},
		Now:               time.Now,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.IdleTimeout == 0 {
		c.IdleTimeout = d.IdleTimeout
	}
	if c.AbsoluteTimeout == 0 {
		c.AbsoluteTimeout = d.AbsoluteTimeout
	}
	if c.AccountLimit == (RateLimit{}) {
		c.AccountLimit = d.AccountLimit
	}
	if c.AddressLimit == (RateLimit{}) {
		c.AddressLimit = d.AddressLimit
	}
	if c.Hash == (HashParams{}) {
		c.Hash = d.Hash
	}
	if c.ProtectedPrefixes == nil {
		c.ProtectedPrefixes = d.ProtectedPrefixes
	}
	if c.PublicPaths == nil {
		c.PublicPaths = d.PublicPaths
	}
	if c.Now == nil {
		c.Now = d.Now
	}
	return c
}

// Validate reports every unusable setting, naming it.
func (c Config) Validate() error {
	var errs []error
	if c.IdleTimeout <= 0 {
		errs = append(errs, errors.New("accounts.idle_timeout must be positive"))
	}
	if c.AbsoluteTimeout < c.IdleTimeout {
		errs = append(errs, errors.New("accounts.absolute_timeout must be at least accounts.idle_timeout"))
	}
	for _, lim := range []struct {
		name string
		l    RateLimit
	}{{"account_limit", c.AccountLimit}, {"address_limit", c.AddressLimit}} {
		name, l := lim.name, lim.l
		if l.MaxFailures < 1 || l.Window <= 0 || l.BaseLockout <= 0 || l.MaxLockout < l.BaseLockout {
			errs = append(errs, fmt.Errorf("accounts.%s needs max_failures ≥ 1, window > 0 and 0 < base_lockout ≤ max_lockout", name))
		}
	}
	if c.Hash.MemoryKiB < 8 || c.Hash.Time < 1 || c.Hash.Threads < 1 {
		errs = append(errs, errors.New("accounts.hash needs memory ≥ 8 KiB, time ≥ 1, threads ≥ 1"))
	}
	return errors.Join(errs...)
}
