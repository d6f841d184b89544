package envconfig_test

import (
	"errors"
	"fmt"

	"github.com/spacekit/spacekit/envconfig"
)

func ExampleLoadFrom() {
	env := map[string]string{
		"DETA_SPACE_APP_HOSTNAME":   "notes-1-a1b2.deta.app",
		"DETA_API_KEY":              "app-internal-key",
		"DETA_SPACE_APP_MICRO_NAME": "api",
		"DETA_SPACE_APP_MICRO_TYPE": "normal",
		"NOTES_TITLE":               "My notes",
	}
	lookup := func(name string) (string, bool) {
		value, ok := env[name]
		return value, ok
	}

	cfg, err := envconfig.LoadFrom(lookup)
	if err != nil {
		fmt.Println(err)
		return
	}
	title, _ := cfg.Lookup("NOTES_TITLE")
	fmt.Println(cfg.BaseURL)
	fmt.Println(cfg.MicroName, cfg.MicroType, cfg.Port)
	fmt.Println(cfg.APIKey)
	fmt.Println(title)
	// Output:
	// https://notes-1-a1b2.deta.app
	// api normal 8080
	// [REDACTED]
	// My notes
}

func ExampleLoadFrom_errors() {
	env := map[string]string{"PORT": "abc"}
	_, err := envconfig.LoadFrom(func(name string) (string, bool) {
		value, ok := env[name]
		return value, ok
	})

	var loadErr *envconfig.LoadError
	if errors.As(err, &loadErr) {
		for _, p := range loadErr.Problems {
			fmt.Println(p)
		}
	}
	fmt.Println(errors.Is(err, envconfig.ErrMissing))
	// Output:
	// DETA_SPACE_APP_HOSTNAME: missing: set it to the app's host, such as notes-1-a1b2.deta.app
	// DETA_API_KEY: missing: set it to the app's API key
	// PORT: invalid: "abc": use a whole number from 1 to 65535
	// true
}

func ExampleSecret() {
	key := envconfig.Secret("app-internal-key")
	fmt.Printf("%v %q %#v\n", key, key, key)
	fmt.Println(len(key.Reveal()))
	// Output:
	// [REDACTED] "[REDACTED]" [REDACTED]
	// 16
}
