package main

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

// envFlags defines flags whose default comes from an environment variable:
// the environment first, the flag overrides, and --help names both.
type envFlags struct {
	fs     *pflag.FlagSet
	getenv func(string) string
	errs   []error
}

func newEnvFlags(fs *pflag.FlagSet, getenv func(string) string) *envFlags {
	return &envFlags{fs: fs, getenv: getenv}
}

// Err reports every environment variable that did not parse.
func (e *envFlags) Err() error { return errors.Join(e.errs...) }

func (e *envFlags) usage(env, usage string) string {
	return fmt.Sprintf("%s (env %s)", usage, env)
}

func (e *envFlags) String(p *string, name, env, def, usage string) {
	if v := e.getenv(env); v != "" {
		def = v
	}
	e.fs.StringVar(p, name, def, e.usage(env, usage))
}

func (e *envFlags) Duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	if v := e.getenv(env); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: want a duration such as 10s", env, v))
		} else {
			def = d
		}
	}
	e.fs.DurationVar(p, name, def, e.usage(env, usage))
}

func (e *envFlags) Bool(p *bool, name, env string, def bool, usage string) {
	if v := e.getenv(env); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: want true or false", env, v))
		} else {
			def = b
		}
	}
	e.fs.BoolVar(p, name, def, e.usage(env, usage))
}

func (e *envFlags) Int(p *int, name, env string, def int, usage string) {
	if v := e.getenv(env); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: want an integer", env, v))
		} else {
			def = n
		}
	}
	e.fs.IntVar(p, name, def, e.usage(env, usage))
}

func (e *envFlags) Float(p *float64, name, env string, def float64, usage string) {
	if v := e.getenv(env); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: want a number", env, v))
		} else {
			def = f
		}
	}
	e.fs.Float64Var(p, name, def, e.usage(env, usage))
}

// redactURL keeps a password out of messages and logs.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsed URL)"
}
