package config

import (
	"fmt"
	"os"
)

// Load builds the configuration: Default, then the YAML file at path (""
// means no file), then environment variables read through getenv (usually
// os.LookupEnv; nil means none), then Validate. Any error stops the load;
// a half-applied configuration is never returned.
func Load(path string, getenv func(string) (string, bool)) (Config, error) {
	cfg := Default()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		if err := decodeYAML(data, &cfg); err != nil {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if getenv != nil {
		if err := applyEnv(&cfg, getenv); err != nil {
			return Config{}, fmt.Errorf("config: environment: %w", err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return cfg, nil
}
