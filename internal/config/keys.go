package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Key describes one settable configuration key. The list is generated from
// the yaml tags of Config so that file keys, environment variables and the
// documentation test cannot disagree.
type Key struct {
	// Path is the dotted YAML key, e.g. "relay.linger".
	Path string
	// Env is the environment variable that overrides it, e.g. "VMS_RELAY_LINGER".
	Env string
	// Secret keys may also be read from the file named by Env+"_FILE", so
	// the value need not sit in the process environment.
	Secret bool
}

// field is a Key plus where it lives in Config.
type field struct {
	Key
	index []int
	typ   reflect.Type
}

var durationType = reflect.TypeFor[time.Duration]()

// Keys lists every key that can be set from the environment, in struct order.
// A list of structs (webrtc.ice_servers) is one key whose environment value is
// JSON or YAML flow syntax.
func Keys() []Key {
	fs := fields()
	keys := make([]Key, len(fs))
	for i, f := range fs {
		keys[i] = f.Key
	}
	return keys
}

func fields() []field {
	return leaves(reflect.TypeFor[Config](), "", nil)
}

// leaves walks nested structs; anything that is not a struct (including
// slices of structs) is a leaf.
func leaves(t reflect.Type, prefix string, index []int) []field {
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		name := yamlName(sf)
		if name == "" {
			continue
		}
		path := joinPath(prefix, name)
		idx := append(append([]int(nil), index...), i)
		if sf.Type.Kind() == reflect.Struct && sf.Type != durationType {
			out = append(out, leaves(sf.Type, path, idx)...)
			continue
		}
		out = append(out, field{
			Key: Key{
				Path:   path,
				Env:    "VMS_" + strings.ToUpper(strings.ReplaceAll(path, ".", "_")),
				Secret: sf.Tag.Get("secret") == "true",
			},
			index: idx,
			typ:   sf.Type,
		})
	}
	return out
}

func yamlName(sf reflect.StructField) string {
	name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
	if name == "-" || !sf.IsExported() {
		return ""
	}
	return name
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// fieldByYAMLName finds the struct field a YAML key names.
func fieldByYAMLName(t reflect.Type, name string) (int, bool) {
	for i := range t.NumField() {
		if n := yamlName(t.Field(i)); n != "" && n == name {
			return i, true
		}
	}
	return 0, false
}

// setScalar parses s into v. File and environment share it, so a bad value
// reads the same whichever source it came from.
func setScalar(v reflect.Value, s string) error {
	switch {
	case v.Type() == durationType:
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("invalid duration %q", s)
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("must be true or false, got %q", s)
		}
		v.SetBool(b)
	case v.Kind() == reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("must be an integer, got %q", s)
		}
		v.SetInt(int64(n))
	default:
		// Only reachable when someone adds a field of a new kind.
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}
