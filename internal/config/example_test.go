package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const examplePath = "../../configs/vms.example.yaml"

// The example file documents the defaults; if a default changes without the
// file, this fails.
func TestExampleLoadsToDefaults(t *testing.T) {
	cfg, err := Load(examplePath, nil)
	if err != nil {
		t.Fatalf("load example: %v", err)
	}
	if !reflect.DeepEqual(cfg, Default()) {
		t.Fatalf("example file differs from Default():\n got %+v\nwant %+v", cfg, Default())
	}
}

// docKeys is Keys plus the keys inside list items (webrtc.ice_servers[].urls),
// which the example shows in a commented block.
func docKeys() []string {
	var out []string
	for _, f := range fields() {
		out = append(out, f.Path)
		if f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.Struct {
			for _, sub := range leaves(f.typ.Elem(), f.Path+"[]", nil) {
				out = append(out, sub.Path)
			}
		}
	}
	return out
}

// TestExampleDocumentsEveryKey checks that each key's segments appear in
// order in the example (commented-out lines count) and that the key's own
// line is preceded by a comment.
func TestExampleDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for _, key := range docKeys() {
		segs := strings.Split(strings.ReplaceAll(key, "[]", ""), ".")
		at := 0
		found := true
		for _, seg := range segs {
			re := regexp.MustCompile(`^[\s#-]*` + regexp.QuoteMeta(seg) + `:`)
			i := at
			for i < len(lines) && !re.MatchString(lines[i]) {
				i++
			}
			if i == len(lines) {
				found = false
				break
			}
			at = i
		}
		if !found {
			t.Errorf("key %s is not in %s", key, examplePath)
			continue
		}
		prev := ""
		if at > 0 {
			prev = strings.TrimSpace(lines[at-1])
		}
		if !strings.HasPrefix(prev, "#") || strings.TrimLeft(prev, "# ") == "" {
			t.Errorf("key %s (line %d) has no comment above it", key, at+1)
		}
	}
}
