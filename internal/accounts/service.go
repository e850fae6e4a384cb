package accounts

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Service is login, sessions and account administration. Create it with New
// and run Run in a goroutine the caller waits for.
type Service struct {
	cfg       Config
	store     *Store
	audit     *Audit
	log       *slog.Logger
	byAccount *limiter
	byAddress *limiter
	dummyHash string // verified for unknown users so they cost the same
	origins   *http.CrossOriginProtection
	tree      atomic.Pointer[Tree]

	mu        sync.Mutex
	onDisable []func(userID int64)
}

// New builds the Service on a database migrated by db.Open and loads the
// units tree (empty before EnsureBootstrap on a fresh database).
func New(ctx context.Context, cfg Config, sqlDB *sql.DB, log *slog.Logger) (*Service, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("accounts: config: %w", err)
	}
	dummy, err := HashPassword("not a password of anyone", cfg.Hash)
	if err != nil {
		return nil, err
	}
	origins := http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		if err := origins.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("accounts: config: accounts.trusted_origins %q: %w", o, err)
		}
	}
	s := &Service{
		cfg:       cfg,
		store:     NewStore(sqlDB),
		audit:     NewAudit(sqlDB, cfg.Now),
		log:       log.With("component", "accounts"),
		byAccount: newLimiter(cfg.AccountLimit),
		byAddress: newLimiter(cfg.AddressLimit),
		dummyHash: dummy,
		origins:   origins,
	}
	if err := s.reloadTree(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Store returns the SQL store the service uses.
func (s *Service) Store() *Store { return s.store }

// Audit returns the audit log, for other packages' audit rows (cameras,
// live views).
func (s *Service) Audit() *Audit { return s.audit }

// Tree returns the current units snapshot.
func (s *Service) Tree() *Tree { return s.tree.Load() }

func (s *Service) reloadTree(ctx context.Context) error {
	t, err := s.store.LoadTree(ctx)
	if err != nil {
		return err
	}
	s.tree.Store(t)
	return nil
}

// OnUserDisabled registers fn to be called with a user's id after the user
// loses access: disabled, moved to another role or unit, or given a new
// password by an admin. The user's sessions are already gone; fn should cut
// anything long-lived the user holds (live viewers). fn runs on the
// caller's goroutine after the change commits, so it must not block.
func (s *Service) OnUserDisabled(fn func(userID int64)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onDisable = append(s.onDisable, fn)
}

func (s *Service) notifyRevoked(userID int64) {
	s.mu.Lock()
	fns := append([]func(int64){}, s.onDisable...)
	s.mu.Unlock()
	for _, fn := range fns {
		fn(userID)
	}
}

// Run purges expired sessions and stale rate-limit entries every 10
// minutes until ctx ends; it returns nil then.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			now := s.cfg.Now()
			n, err := s.store.PurgeSessions(ctx, now, s.cfg.IdleTimeout)
			if err != nil {
				s.log.Warn("purge sessions", "err", err)
			} else if n > 0 {
				s.log.Debug("purged sessions", "count", n)
			}
			s.byAccount.prune(now)
			s.byAddress.prune(now)
		}
	}
}

// hashToken is what the sessions table stores instead of the token.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
