// Command vms is the video management system: one binary that serves the
// relay and the web UI, imports cameras and units, recovers accounts,
// verifies the audit log, and measures the relay under load.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `vms — giám sát Bộ phận một cửa / one-stop-shop counter cameras

Usage:
  vms serve [--config FILE] [--demo]       run the server (--demo adds a camera simulator and demo accounts)
  vms import cameras [--config FILE] FILE  add or update cameras from a .csv, .yaml or .yml file
  vms import units [--config FILE] FILE    add or update administrative units from a .csv file
  vms user add --username U --role R --unit CODE [--name N] [--password P]
                                           create an account (role admin|province|district|police|commune)
  vms user passwd U [--password P]         set a password (generated and printed when omitted)
  vms user disable U | vms user enable U   disable (ends sessions and live video) or re-enable an account
  vms audit verify [--config FILE]         check the audit log's hash chain; non-zero exit if altered
  vms bench --url URL [-n N] [--duration D] [--token T]
                                           open N WHEP viewers and report what they receive
  vms version

The user, import and audit commands work on the database directly (run them on the server, as the
user that owns the data); without --password a password is generated, printed once and must be
changed at first login. The first start creates the account "admin": its password comes from
VMS_ADMIN_PASSWORD (or the file in VMS_ADMIN_PASSWORD_FILE), else it is generated and printed once.

Every config key can also be set by an environment variable (VMS_HTTP_LISTEN, VMS_WEBRTC_PORT,
VMS_DATABASE_PATH, VMS_LOG_LEVEL, …); see configs/vms.example.yaml.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "vms:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("missing command")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "import":
		return cmdImport(ctx, args[1:], stdout, stderr)
	case "user":
		return cmdUser(ctx, args[1:], stdout, stderr)
	case "audit":
		return cmdAudit(ctx, args[1:], stdout, stderr)
	case "bench":
		return cmdBench(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "vms", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
