package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// summary is a median and its confidence interval, as benchstat prints them.
type summary struct {
	median float64 // in the unit of benchstat's column, such as sec/op
	ci     string  // such as "3%", or "∞" with fewer than 6 runs
}

// stats holds the summaries of one package: by unit, then by benchmark name without the
// "Benchmark" prefix and the GOMAXPROCS suffix, such as "GetSmallJSON/Client".
type stats map[string]map[string]summary

// gomaxprocsSuffix is the "-N" that go test appends to a benchmark name when GOMAXPROCS > 1.
var gomaxprocsSuffix = regexp.MustCompile(`-[0-9]+$`)

// readStats reads every LABEL.csv in dir, keyed by LABEL.
func readStats(dir string) (map[string]stats, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("-dir %s has no .csv files: run benchstat -format csv first", dir)
	}
	all := make(map[string]stats)
	for _, path := range paths {
		s, err := readStatsFile(path)
		if err != nil {
			return nil, err
		}
		all[strings.TrimSuffix(filepath.Base(path), ".csv")] = s
	}
	return all, nil
}

func readStatsFile(path string) (stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := parseStats(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// parseStats parses benchstat's CSV output for one input file. Each table starts with a
// line that names the file and a line ",UNIT,CI"; each row is "NAME,MEDIAN,CI"; the geomean
// row is skipped.
func parseStats(r io.Reader) (stats, error) {
	reader := csv.NewReader(r)
	reader.FieldsPerRecord = -1
	s := make(stats)
	unit := ""
	for {
		record, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return nil, err
		}
		unit, err = s.add(record, unit)
		if err != nil {
			return nil, err
		}
	}
}

// add stores the row in record under unit, and returns the unit of the rows that follow.
func (s stats) add(record []string, unit string) (string, error) {
	if len(record) < 3 {
		return unit, nil
	}
	name, value, ci := record[0], record[1], record[2]
	switch {
	case name == "" && ci == "CI":
		return value, nil
	case name == "" || name == "geomean":
		return unit, nil
	case unit == "":
		return "", fmt.Errorf("row %q comes before any unit line", name)
	}
	median, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return "", fmt.Errorf("row %q: median %q is not a number", name, value)
	}
	if s[unit] == nil {
		s[unit] = make(map[string]summary)
	}
	s[unit][gomaxprocsSuffix.ReplaceAllString(name, "")] = summary{median: median, ci: ci}
	return unit, nil
}
