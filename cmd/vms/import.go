package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/db"
)

const importUsage = "usage: vms import cameras [--config FILE] FILE | vms import units [--config FILE] FILE.csv"

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "units" {
		return cmdImportUnits(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "cameras" {
		return fmt.Errorf("%s", importUsage)
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
	// Audited like the camera API's changes, as the shell, in the import's
	// transaction: the cameras and their audit rows commit together.
	sqlDB, err := openExisting(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer func() { _ = sqlDB.Close() }()
	svc, err := accounts.New(ctx, accounts.Config{}, sqlDB, cfg.NewLogger(stderr))
	if err != nil {
		return err
	}
	res, err := camera.NewStore(sqlDB).ImportWith(ctx, f, format, auditCameraImport(svc, filepath.Base(file)))
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was changed)", file, err)
	}
	fmt.Fprintf(stdout, "%s: %d cameras created, %d updated\n", file, res.Created, res.Updated)
	return nil
}

// cmdImportUnits adds or updates administrative units from a CSV with the
// header code,name,level,kind,parent_code, all or nothing.
func cmdImportUnits(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import units", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "YAML configuration file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: vms import units [--config FILE] FILE.csv (header code,name,level,kind,parent_code)")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	// The one shell command that may create the database: loading another
	// province's units before the first start keeps the built-in seed out.
	return withAccountsIn(ctx, *cfgPath, stderr, db.Open, func(svc *accounts.Service) error {
		res, err := svc.ImportUnitsAsSystem(ctx, f)
		if err != nil {
			return fmt.Errorf("%s: %w (nothing was changed)", pos[0], err)
		}
		fmt.Fprintf(stdout, "%s: %d units created, %d updated, %d unchanged (restart a running server to use them)\n",
			pos[0], res.Created, res.Updated, res.Unchanged)
		return nil
	})
}
