package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"

	"gopkg.in/yaml.v3"
)

// decodeYAML applies a YAML document on top of cfg. It walks the node tree
// itself instead of yaml.Unmarshal with KnownFields(true) so that every
// error names the full dotted key and line ("line 4: relay.linger: invalid
// duration "x""), and so the file and environment share one value parser.
// Keys absent from the file, and keys set to null, keep their current value.
func decodeYAML(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file means "all defaults"
		}
		return err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("only one YAML document is allowed")
	}
	return decodeNode(&doc, reflect.ValueOf(cfg).Elem(), "")
}

func decodeNode(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return nil
	}
	switch {
	case v.Kind() == reflect.Struct && v.Type() != durationType:
		return decodeMapping(n, v, path)
	case v.Kind() == reflect.Slice:
		return decodeSequence(n, v, path)
	case n.Kind != yaml.ScalarNode:
		return fmt.Errorf("line %d: %s: must be a single value", n.Line, path)
	}
	if err := setScalar(v, n.Value); err != nil {
		return fmt.Errorf("line %d: %s: %w", n.Line, path, err)
	}
	return nil
}

func decodeMapping(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s: must be a mapping of keys", n.Line, orRoot(path))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := joinPath(path, k.Value)
		idx, ok := fieldByYAMLName(v.Type(), k.Value)
		if !ok {
			return fmt.Errorf("line %d: unknown key %q", k.Line, key)
		}
		if seen[k.Value] {
			return fmt.Errorf("line %d: key %q set twice", k.Line, key)
		}
		seen[k.Value] = true
		if err := decodeNode(val, v.Field(idx), key); err != nil {
			return err
		}
	}
	return nil
}

func decodeSequence(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: %s: must be a list", n.Line, path)
	}
	if len(n.Content) == 0 {
		v.SetZero()
		return nil
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		if err := decodeNode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

func orRoot(path string) string {
	if path == "" {
		return "document"
	}
	return path
}
