package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/db"
)

const userUsage = `usage:
  vms user add --username U --role R --unit CODE [--name "Display Name"] [--password P] [--config FILE]
  vms user passwd U [--password P] [--config FILE]
  vms user disable U [--config FILE]
  vms user enable U [--config FILE]
roles: admin, province, district, police, commune. Without --password a password is generated,
printed once, and must be changed at first login.`

// cmdUser is account recovery from the server's shell: it works on the
// database directly, so it needs no login (and no running server).
func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", userUsage)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "YAML configuration file")
	var in accounts.NewUser
	var password string
	switch args[0] {
	case "add":
		fs.StringVar(&in.Username, "username", "", "login name (a-z 0-9 . _ -)")
		fs.StringVar((*string)(&in.Role), "role", "", "admin, province, district, police or commune")
		fs.StringVar(&in.UnitCode, "unit", "", "code of the unit the account is bound to, e.g. 72 or 703")
		fs.StringVar(&in.DisplayName, "name", "", "display name")
		fs.StringVar(&in.Password, "password", "", "password (default: generate one)")
	case "passwd":
		fs.StringVar(&password, "password", "", "new password (default: generate one)")
	case "disable", "enable":
	default:
		return fmt.Errorf("unknown user command %q\n%s", args[0], userUsage)
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	wantPos := 1
	if args[0] == "add" {
		wantPos = 0
	}
	if len(pos) != wantPos || args[0] == "add" && (in.Username == "" || in.Role == "" || in.UnitCode == "") {
		return fmt.Errorf("%s", userUsage)
	}
	return withAccounts(ctx, *cfgPath, stderr, func(svc *accounts.Service) error {
		switch args[0] {
		case "add":
			if svc.Tree().Len() == 0 {
				return fmt.Errorf("user add: the database has no units yet: start the server once (vms serve) or run vms import units FILE")
			}
			u, generated, err := svc.CreateUserAsSystem(ctx, in)
			if err != nil {
				return fmt.Errorf("user add: %w", err)
			}
			fmt.Fprintf(stdout, "created account %q (id %d), role %s, unit %s\n", u.Username, u.ID, u.Role, u.UnitCode)
			printGenerated(stdout, generated)
		case "passwd":
			generated, err := svc.SetPasswordAsSystem(ctx, pos[0], password)
			if err != nil {
				return fmt.Errorf("user passwd: %w", err)
			}
			fmt.Fprintf(stdout, "password of %q changed; its sessions are ended\n", pos[0])
			printGenerated(stdout, generated)
		default:
			disable := args[0] == "disable"
			u, err := svc.SetDisabledAsSystem(ctx, pos[0], disable)
			if err != nil {
				return fmt.Errorf("user %s: %w", args[0], err)
			}
			if disable {
				fmt.Fprintf(stdout, "account %q disabled: its sessions are ended, a running server cuts its live video within seconds\n", u.Username)
			} else {
				fmt.Fprintf(stdout, "account %q enabled\n", u.Username)
			}
		}
		return nil
	})
}

func printGenerated(w io.Writer, generated string) {
	if generated != "" {
		fmt.Fprintf(w, "password: %s  (shown once; must be changed at first login)\n", generated)
	}
}

// withAccounts opens the database named by the configuration and runs fn
// on an accounts service over it.
func withAccounts(ctx context.Context, cfgPath string, stderr io.Writer, fn func(*accounts.Service) error) error {
	return withAccountsIn(ctx, cfgPath, stderr, openExisting, fn)
}

// withAccountsIn runs fn on the accounts of the database that open opens
// (openExisting, or db.Open for the one command that may set up a new
// installation: importing its units before the first start).
func withAccountsIn(ctx context.Context, cfgPath string, stderr io.Writer,
	open func(context.Context, string) (*sql.DB, error), fn func(*accounts.Service) error) error {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return err
	}
	sqlDB, err := open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer func() { _ = sqlDB.Close() }()
	svc, err := accounts.New(ctx, accounts.Config{}, sqlDB, cfg.NewLogger(stderr))
	if err != nil {
		return err
	}
	return fn(svc)
}

// openExisting opens the database of a running installation for the shell
// commands. Unlike serve, it never creates one: run from the wrong
// directory, a command would otherwise act on a new empty database and
// report success ("OK: 0 rows") about the wrong thing.
func openExisting(ctx context.Context, path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s (database.path): run the command in the directory `vms serve` runs in, "+
			"or give the same --config or VMS_DATABASE_PATH: %w", path, err)
	}
	return db.Open(ctx, path)
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments ("passwd alice --password x") and returns the
// positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
