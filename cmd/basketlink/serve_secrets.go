package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// Secrets never come as flag values: a flag shows in the process list. Each
// comes from its environment variable, or from a file named by --NAME-file or
// by the variable with _FILE appended (the way container secrets are mounted).
type secretSetting struct {
	name string // the flag name that is refused; --name-file is the file flag
	env  string
	dst  func(*serveConfig) *string
}

// minAdminToken is the shortest admin token accepted, in characters.
const minAdminToken = 32

var secretSettings = []secretSetting{
	{"client-secret", "TRADEJINI_CLIENT_SECRET", func(c *serveConfig) *string { return &c.ClientSecret }},
	{"secret-key", "BASKETLINK_SECRET_KEY", func(c *serveConfig) *string { return &c.SecretKey }},
	{"admin-token", "BASKETLINK_ADMIN_TOKEN", func(c *serveConfig) *string { return &c.AdminToken }},
}

// registerSecretFlags adds --NAME-file for every secret, and --NAME itself as
// a flag that only records that it was given (never its value), so the
// refusal can say how to pass the secret instead.
func (c *serveConfig) registerSecretFlags(fs *flag.FlagSet) {
	if c.secretFiles == nil {
		c.secretFiles = map[string]*string{}
	}
	for _, s := range secretSettings {
		file := new(string)
		c.secretFiles[s.name] = file
		fs.StringVar(file, s.name+"-file", "", fmt.Sprintf("`file` holding the %s (env %s, or %s_FILE)", strings.ReplaceAll(s.name, "-", " "), s.env, s.env))
		fs.Func(s.name, "refused: a secret is never a flag value; use --"+s.name+"-file or env "+s.env, func(string) error {
			c.plainSecretFlags = append(c.plainSecretFlags, s.name)
			return nil
		})
	}
}

// plainSecretError says how to pass a secret that was given as a flag value.
func plainSecretError(name string) error {
	for _, s := range secretSettings {
		if s.name == name {
			return fmt.Errorf("--%s is refused: a secret given as a flag value shows in the process list. Set the environment variable %s, or put the secret in a file readable only by this user and pass --%s-file FILE (or %s_FILE=FILE)", name, s.env, name, s.env)
		}
	}
	return fmt.Errorf("--%s is refused", name)
}

// loadSecrets fills every secret from its file flag, its environment variable
// or its _FILE variable. Two sources for one secret are a usage error, so a
// forgotten old setting never silently wins. Errors name files, never contents.
func (c *serveConfig) loadSecrets(getenv func(string) string) error {
	if len(c.plainSecretFlags) > 0 {
		return plainSecretError(c.plainSecretFlags[0])
	}
	for _, s := range secretSettings {
		var sources []string
		flagFile, env, envFile := *c.secretFiles[s.name], getenv(s.env), getenv(s.env+"_FILE")
		if flagFile != "" {
			sources = append(sources, "--"+s.name+"-file")
		}
		if env != "" {
			sources = append(sources, s.env)
		}
		if envFile != "" {
			sources = append(sources, s.env+"_FILE")
		}
		if len(sources) > 1 {
			return fmt.Errorf("the %s is set by both %s: keep one", strings.ReplaceAll(s.name, "-", " "), strings.Join(sources, " and "))
		}
		value := env
		if path := flagFile + envFile; path != "" {
			v, err := readSecretFile(sources[0], path)
			if err != nil {
				return err
			}
			value = v
		}
		*s.dst(c) = value
	}
	return nil
}

// readSecretFile reads a secret from path; surrounding whitespace (the
// newline an editor adds) is not part of it.
func readSecretFile(source, path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", fmt.Errorf("%s: cannot read %s: %v", source, path, err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", fmt.Errorf("%s: the file %s is empty", source, path)
	}
	return v, nil
}
