package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/ncpmock/ncpmock/openapi"
)

func specFlags(fs *flag.FlagSet) func(context.Context, *env, []string) error {
	format := fs.String("format", "yaml", "output format: yaml (as embedded) or json")
	return func(_ context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return &usageError{msg: fmt.Sprintf("spec: unexpected argument %q", args[0])}
		}
		switch *format {
		case "yaml":
			_, err := e.stdout.Write(openapi.EmbeddedYAML())
			return err
		case "json":
			spec, err := openapi.Embedded()
			if err != nil {
				return err
			}
			data, err := spec.Doc().MarshalJSON()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "%s\n", data)
			return err
		}
		return &usageError{msg: fmt.Sprintf("spec: --format %q: want yaml or json", *format)}
	}
}

// loadSpecFlag loads the spec file a command's --spec names, nil for none. A
// file that cannot be read or is no valid spec is a mistake on the command
// line (exit 2), for every command that takes --spec. What is wrong in a
// spec that can be used (Spec.Warnings) is written to stderr, a line each.
func loadSpecFlag(e *env, command, path string) (*openapi.Spec, error) {
	if path == "" {
		return nil, nil
	}
	spec, err := openapi.LoadFile(path)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("%s: --spec: %v", command, err)}
	}
	for _, w := range spec.Warnings() {
		fmt.Fprintf(e.stderr, "ncpmock: %s: --spec %s: warning: %s\n", command, path, w)
	}
	return spec, nil
}
