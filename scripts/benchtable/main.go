package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "directory of the benchstat CSV files, one LABEL.csv per package")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("usage: benchtable -dir DIR: give the directory of the CSV files " +
			"and no other argument")
	}
	all, err := readStats(*dir)
	if err != nil {
		return err
	}
	for _, s := range sections() {
		if err := writeSection(stdout, s, all); err != nil {
			return err
		}
	}
	return nil
}
