package camera

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"

	"gopkg.in/yaml.v3"
)

// maxImportBytes bounds a YAML import, which is read whole.
const maxImportBytes = 16 << 20

// yamlFile is the YAML import shape: cameras: [ {name: ..., unit_code: ...} ].
type yamlFile struct {
	Cameras []Patch `yaml:"cameras"`
}

// parseYAML decodes strictly (unknown keys are errors) and takes each row's
// line from a second pass over the node tree, since decoded structs carry no
// positions.
func parseYAML(r io.Reader) ([]importRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("camera: import: read yaml: %w", err)
	}
	if len(data) > maxImportBytes {
		return nil, &ImportError{Err: fmt.Errorf("file larger than %d bytes", maxImportBytes)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f yamlFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ImportError{Err: errors.New("empty file: want cameras: [...]")}
		}
		return nil, &ImportError{Err: yamlError(err)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ImportError{Err: yamlError(err)}
	}
	lines := yamlItemLines(&doc)
	rows := make([]importRow, len(f.Cameras))
	for i, p := range f.Cameras {
		rows[i] = importRow{patch: p}
		if i < len(lines) {
			rows[i].line = lines[i]
		}
	}
	return rows, nil
}

// yamlItemLines returns the line of each item of the top-level cameras list.
func yamlItemLines(doc *yaml.Node) []int {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := doc.Content[0].Content
	for i := 0; i+1 < len(m); i += 2 {
		if m[i].Value == "cameras" {
			lines := make([]int, len(m[i+1].Content))
			for j, item := range m[i+1].Content {
				lines[j] = item.Line
			}
			return lines
		}
	}
	return nil
}

// yamlError keeps yaml's positional message ("line 5: field foo not found in
// type camera.Patch") but, for scalar type errors, yaml quotes the value,
// which may be a password; those become a generic message with the line.
func yamlError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err // syntax errors read "yaml: line 3: ..." and quote no values
	}
	msgs := make([]error, 0, len(te.Errors))
	for _, m := range te.Errors {
		msgs = append(msgs, errors.New(redactYAMLValue(m)))
	}
	return fmt.Errorf("yaml: %w", errors.Join(msgs...))
}

var (
	yamlUnknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
	yamlQuotedValue  = regexp.MustCompile("`[^`]*`")
)

func redactYAMLValue(msg string) string {
	msg = yamlUnknownField.ReplaceAllString(msg, `unknown key "$1"`)
	return yamlQuotedValue.ReplaceAllString(msg, "value")
}
