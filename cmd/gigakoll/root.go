package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"
)

// app is main without globals: what every command shares.
type app struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer

	databaseURL string
	logLevel    string
	logFormat   string
	log         *slog.Logger

	flagSets []*envFlags // every command's, to report bad environment values
}

// deferErr keeps a command's flag set so that run reports its bad
// environment values before anything runs.
func (a *app) deferErr(ef *envFlags) { a.flagSets = append(a.flagSets, ef) }

// run parses args, runs the command and returns its error; end-to-end tests
// call it with their own arguments and environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	a := &app{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "gigakoll",
		Short: "Broadband coverage and measurements against Sweden's broadband targets",
		Long: `gigakoll imports yearly broadband coverage snapshots and residents' speed
measurements into PostgreSQL + PostGIS, and computes per municipality, county and
map square how far each broadband target is.

Every setting comes from the environment and may be overridden by its flag.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if a.databaseURL == "" {
				a.databaseURL = a.getenv("DATABASE_URL")
			}
			log, err := newLogger(a.stderr, a.logLevel, a.logFormat)
			if err != nil {
				return err
			}
			a.log = log
			return nil
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	ef := newEnvFlags(root.PersistentFlags(), getenv)
	// Not through ef.String: --help would print the password as the default.
	root.PersistentFlags().StringVar(&a.databaseURL, "database-url", "", "PostgreSQL URL of the gigakoll database (env DATABASE_URL)")
	ef.String(&a.logLevel, "log-level", "GIGAKOLL_LOG_LEVEL", "info", "log level: debug, info, warn or error")
	ef.String(&a.logFormat, "log-format", "GIGAKOLL_LOG_FORMAT", "auto", "log format: text, json, or auto (text on a terminal, JSON otherwise)")

	a.deferErr(ef)
	root.AddCommand(a.serveCmd(), a.migrateCmd(), a.seedCmd(), a.importCmd(), a.reportCmd(), a.snapshotsCmd(), a.versionCmd())
	root.AddCommand(a.tokenCmd(), a.auditCmd())
	root.AddCommand(a.projectsCmd())
	var errs []error
	for _, f := range a.flagSets {
		errs = append(errs, f.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return root.ExecuteContext(ctx)
}

// newLogger logs to w: text for a person at a terminal, JSON otherwise.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "auto", "":
		if isTerminal(w) {
			return slog.New(slog.NewTextHandler(w, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text, json or auto", format)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// withDB runs fn with a pool on the configured database, under a deadline
// for all of it; the pool is closed after.
func (a *app) withDB(ctx context.Context, timeout time.Duration, fn func(ctx context.Context, pool *pgxpool.Pool) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	pool, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	return fn(ctx, pool)
}

// connect opens the pool on the configured database.
func (a *app) connect(ctx context.Context) (*pgxpool.Pool, error) {
	if strings.TrimSpace(a.databaseURL) == "" {
		return nil, fmt.Errorf("no database: set DATABASE_URL or --database-url (make run sets up a local one)")
	}
	cfg, err := pgxpool.ParseConfig(a.databaseURL)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "gigakoll"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", redactURL(a.databaseURL), err)
	}
	return pool, nil
}
