package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/db"
)

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "cameras" {
		return fmt.Errorf("usage: vms import cameras [--config FILE] FILE")
	}
	fs := flag.NewFlagSet("import cameras", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "YAML configuration file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: vms import cameras [--config FILE] FILE")
	}
	file := fs.Arg(0)
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	if format == "yml" {
		format = "yaml"
	}
	if format != "csv" && format != "yaml" {
		return fmt.Errorf("%s: the file must end in .csv, .yaml or .yml", file)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	sqlDB, err := db.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer func() { _ = sqlDB.Close() }()
	res, err := camera.NewStore(sqlDB).Import(ctx, f, format)
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was changed)", file, err)
	}
	fmt.Fprintf(stdout, "%s: %d cameras created, %d updated\n", file, res.Created, res.Updated)
	return nil
}
