package accounts

// Level is a unit's tier in the administrative tree.
type Level string

// The tiers, from the top. A two-tier province has no districts: its
// communes hang directly below it.
const (
	LevelProvince Level = "province"
	LevelDistrict Level = "district"
	LevelCommune  Level = "commune"
)

// Valid reports whether l is one of the defined levels.
func (l Level) Valid() bool { return l.rank() >= 0 }

// rank orders levels from the top; a child must rank below its parent.
func (l Level) rank() int {
	switch l {
	case LevelProvince:
		return 0
	case LevelDistrict:
		return 1
	case LevelCommune:
		return 2
	}
	return -1
}

// Unit is one administrative unit. Code is the official code kept as a
// string (leading zeros matter); ParentCode is empty for a root.
type Unit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      Level  `json:"level"`
	Kind       string `json:"kind"` // e.g. Tỉnh, Huyện, Thị xã, Phường, Xã
	ParentCode string `json:"parent_code"`
}
