package accounts

// Role is what a user is; the unit the user is bound to says where.
type Role string

// The roles. Each is bound to one unit and sees that unit's subtree.
const (
	// RoleAdmin is the IT department: units, cameras, accounts, audit log.
	// An admin bound to a district administers that district only.
	RoleAdmin Role = "admin"
	// RoleProvince views every camera and dashboard in its subtree.
	RoleProvince Role = "province"
	// RoleDistrict views the cameras and dashboards of its district.
	RoleDistrict Role = "district"
	// RolePolice views live cameras and their status; no dashboards, no
	// administration.
	RolePolice Role = "police"
	// RoleCommune views its own cameras and figures.
	RoleCommune Role = "commune"
)

// Roles lists every role, for validation and tests.
func Roles() []Role {
	return []Role{RoleAdmin, RoleProvince, RoleDistrict, RolePolice, RoleCommune}
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleProvince, RoleDistrict, RolePolice, RoleCommune:
		return true
	}
	return false
}

// fitsLevel reports whether a user of role r may be bound to a unit of the
// given level: province, district and commune roles sit on units of their
// own level; admins and police may sit anywhere (a commune police post is
// real).
func (r Role) fitsLevel(l Level) bool {
	switch r {
	case RoleProvince:
		return l == LevelProvince
	case RoleDistrict:
		return l == LevelDistrict
	case RoleCommune:
		return l == LevelCommune
	case RoleAdmin, RolePolice:
		return l.Valid()
	}
	return false
}
