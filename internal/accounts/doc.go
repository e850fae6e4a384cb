// Package accounts holds who may do what: the tree of administrative units,
// users and their sessions, the single authorization function Can, and the
// hash-chained audit log.
//
// The pieces, from the inside out:
//
//   - Tree: the units (province → district → commune) held in memory; a
//     role's scope is the subtree of the unit it is bound to.
//   - Can: the one pure decision over (Principal, Action, Resource). Outside
//     the caller's scope it answers ErrNotFound (so HTTP says 404 and does not
//     reveal that the thing exists); in scope but not allowed for the role it
//     answers ErrForbidden.
//   - Store: SQL for units, users and sessions on the *sql.DB from db.Open.
//   - Audit: the append-only, hash-chained log.
//   - Service: login, sessions, rate limiting, user administration; it calls
//     Can before every change and writes the audit row in the same
//     transaction as the change.
//   - Handlers and (*Service).Middleware: the JSON API on net/http.
//
// Wiring, in cmd/vms:
//
//	svc, err := accounts.New(ctx, accounts.Config{}, sqlDB, log)
//	err = svc.EnsureBootstrap(ctx, os.Getenv("VMS_ADMIN_PASSWORD"), os.Stdout)
//	go svc.Run(ctx) // purges expired sessions; wait for it on shutdown
//	accounts.NewHandlers(svc, log).Routes(mux)
//	root := svc.Middleware(mux) // every route, including WHEP, sees the Principal
//
// The relay declares what it needs and internal/server adapts: before
// answering a WHEP offer, svc.CanView(r.Context(), camera.UnitCode); the
// relay's viewer hooks, which run outside any request, call
// RecordLiveStart and RecordLiveStop with plain values (StartLiveView does
// the same from a request's principal); svc.OnUserDisabled cuts a disabled
// user's live viewers, and CheckViewer lets the server re-check live
// viewers against changes made by another process (the *AsSystem methods
// behind `vms user …`).
//
// Behind a reverse proxy, set r.RemoteAddr from the trusted proxy's
// X-Forwarded-For before Middleware: rate limits and the audit log key on it.
package accounts
