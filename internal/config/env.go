package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// applyEnv overrides cfg with every VMS_* variable that getenv reports as
// set, including set-but-empty (which clears a string or list).
func applyEnv(cfg *Config, getenv func(string) (string, bool)) error {
	root := reflect.ValueOf(cfg).Elem()
	var errs []error
	for _, f := range fields() {
		raw, ok, err := lookup(f.Key, getenv)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue
		}
		if err := setEnv(root.FieldByIndex(f.index), f.Path, raw); err != nil {
			errs = append(errs, fmt.Errorf("%s (from %s): %w", f.Path, f.Env, err))
		}
	}
	return errors.Join(errs...)
}

// lookup reads a key's variable, or for secrets the file named by
// VMS_<KEY>_FILE (Docker/systemd credentials); setting both is ambiguous and
// refused rather than silently preferring one.
func lookup(k Key, getenv func(string) (string, bool)) (string, bool, error) {
	raw, ok := getenv(k.Env)
	if !k.Secret {
		return raw, ok, nil
	}
	path, fromFile := getenv(k.Env + "_FILE")
	if !fromFile {
		return raw, ok, nil
	}
	if ok {
		return "", false, fmt.Errorf("%s: set %s or %s_FILE, not both", k.Path, k.Env, k.Env)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false, fmt.Errorf("%s (from %s_FILE): %w", k.Path, k.Env, err)
	}
	// Editors and `echo` add a final newline that is never part of a secret.
	return strings.TrimRight(string(b), "\r\n"), true, nil
}

// setEnv parses one variable: lists of strings are comma-separated, lists of
// structs are JSON or YAML flow syntax, everything else is a scalar.
func setEnv(v reflect.Value, path, raw string) error {
	if v.Kind() != reflect.Slice {
		return setScalar(v, raw)
	}
	if v.Type().Elem().Kind() == reflect.String {
		var items []string
		for item := range strings.SplitSeq(raw, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
		v.Set(reflect.ValueOf(items))
		return nil
	}
	if strings.TrimSpace(raw) == "" {
		v.SetZero()
		return nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(raw), &n); err != nil {
		return fmt.Errorf("must be a JSON list: %w", err)
	}
	return decodeNode(&n, v, path)
}
