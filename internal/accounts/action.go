package accounts

// Action is something a principal asks to do to a Resource.
type Action string

// The actions Can decides on.
const (
	// ActionCameraView: list cameras, read their status, watch live (WHEP).
	ActionCameraView Action = "camera.view"
	// ActionCameraStatus: the camera status dashboard (online/offline).
	ActionCameraStatus Action = "camera.status"
	// ActionCameraCreate, ActionCameraUpdate, ActionCameraDelete change the
	// camera list. For a camera moved between units, check both units.
	ActionCameraCreate Action = "camera.create"
	ActionCameraUpdate Action = "camera.update"
	ActionCameraDelete Action = "camera.delete"
	// ActionUnitManage: create, rename, re-parent units (CSV import).
	ActionUnitManage Action = "unit.manage"
	// ActionUserManage: create, change, disable accounts. The Resource names
	// the target account's unit and role.
	ActionUserManage Action = "user.manage"
	// ActionAuditRead: read and export the audit log.
	ActionAuditRead Action = "audit.read"
	// ActionDashboardView: figures and dashboards other than camera status.
	ActionDashboardView Action = "dashboard.view"
)

// Actions lists every action, for tests and documentation.
func Actions() []Action {
	return []Action{
		ActionCameraView, ActionCameraStatus, ActionCameraCreate, ActionCameraUpdate,
		ActionCameraDelete, ActionUnitManage, ActionUserManage, ActionAuditRead,
		ActionDashboardView,
	}
}

// allowed is the role × action matrix inside the role's scope; outside it
// nothing is allowed.
func allowed(r Role, a Action) bool {
	switch a {
	case ActionCameraView, ActionCameraStatus:
		return r.Valid()
	case ActionDashboardView:
		return r == RoleAdmin || r == RoleProvince || r == RoleDistrict || r == RoleCommune
	case ActionCameraCreate, ActionCameraUpdate, ActionCameraDelete,
		ActionUnitManage, ActionUserManage, ActionAuditRead:
		return r == RoleAdmin
	}
	return false
}
