package accounts

import (
	"bytes"
	_ "embed" // for the default unit seed
)

//go:embed seed/tayninh-units.csv
var seedUnitsCSV []byte

// SeedUnits returns the embedded default units CSV (Tây Ninh, code 72; see
// seed/README.md for the source).
func SeedUnits() *bytes.Reader { return bytes.NewReader(seedUnitsCSV) }
