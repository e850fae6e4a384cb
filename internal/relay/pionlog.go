package relay

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// pionLoggerFactory bridges pion's logging to slog. Pion's debug chatter
// goes to debug level, including its many warnings about normal events
// (closed streams on hang-up); its errors become warnings. Trace is dropped.
type pionLoggerFactory struct{ log *slog.Logger }

// NewLogger implements logging.LoggerFactory.
func (f pionLoggerFactory) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{log: f.log.With("scope", scope)}
}

type pionLogger struct{ log *slog.Logger }

func (l pionLogger) out(level slog.Level, msg string) {
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, msg)
	}
}

func (l pionLogger) Trace(string)              {}
func (l pionLogger) Tracef(string, ...any)     {}
func (l pionLogger) Debug(m string)            { l.out(slog.LevelDebug, m) }
func (l pionLogger) Debugf(f string, a ...any) { l.out(slog.LevelDebug, fmt.Sprintf(f, a...)) }
func (l pionLogger) Info(m string)             { l.out(slog.LevelDebug, m) }
func (l pionLogger) Infof(f string, a ...any)  { l.out(slog.LevelDebug, fmt.Sprintf(f, a...)) }
func (l pionLogger) Warn(m string)             { l.out(slog.LevelWarn, m) }
func (l pionLogger) Warnf(f string, a ...any)  { l.out(slog.LevelWarn, fmt.Sprintf(f, a...)) }
func (l pionLogger) Error(m string)            { l.out(slog.LevelError, m) }
func (l pionLogger) Errorf(f string, a ...any) { l.out(slog.LevelError, fmt.Sprintf(f, a...)) }
