package accounts

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseUnitsCSV: any uploaded units file is parsed or refused with an
// ErrInvalid error naming a line, never a panic (a broken quote once
// panicked the import handler).
func FuzzParseUnitsCSV(f *testing.F) {
	const header = "code,name,level,kind,parent_code\n"
	f.Add(string(seedUnitsCSV))
	f.Add(header + "\"broken\n")
	f.Add(header + "80,Tỉnh,province,Tỉnh,\n80001,Xã,commune,Xã,80\n")
	f.Add("code,name\n1,2\n")
	f.Fuzz(func(t *testing.T, csv string) {
		if _, err := ParseUnitsCSV(strings.NewReader(csv)); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
	})
}
