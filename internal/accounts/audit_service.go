package accounts

import (
	"context"
	"time"
)

// AuditQuery is what a caller asks of the audit log; Unit defaults to the
// caller's own unit and always means that unit's subtree.
type AuditQuery struct {
	User     string
	Unit     string
	CameraID int64
	Kind     string
	From, To time.Time
	BeforeID int64
	Limit    int
}

// AuditFilter turns q into a filter limited to p's scope: admins only
// (ActionAuditRead), rows of units in the subtree of q.Unit, which must be
// in p's scope. Rows without a unit (failed logins of unknown names) are
// shown only to admins bound to a root unit asking for their whole scope.
func (s *Service) AuditFilter(p Principal, q AuditQuery) (AuditFilter, error) {
	unit := q.Unit
	if unit == "" {
		unit = p.Unit
	}
	if err := Can(p, ActionAuditRead, Resource{Unit: unit}); err != nil {
		return AuditFilter{}, scopeField(err, "unit")
	}
	u, _ := p.Tree.Unit(unit)
	return AuditFilter{
		Units: p.Tree.SubtreeCodes(unit), NoUnit: unit == p.Unit && u.ParentCode == "",
		User: q.User, CameraID: q.CameraID, Kind: q.Kind, From: q.From, To: q.To,
		BeforeID: q.BeforeID, Limit: q.Limit,
	}, nil
}

// ListAudit returns p's view of the audit log, newest first.
func (s *Service) ListAudit(ctx context.Context, p Principal, q AuditQuery) ([]Entry, error) {
	f, err := s.AuditFilter(p, q)
	if err != nil {
		return nil, err
	}
	return s.audit.List(ctx, f)
}
