package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// row is one line of a table: a benchmark's median in one unit, compared with a baseline
// benchmark of the same package in the same unit.
type row struct {
	label    string // the measured quantity, as the page names it
	pkg      string // the label of the stats file, such as "client"
	name     string // the benchmark, such as "GetSmallJSON/Client"
	unit     string // benchstat's unit, such as "sec/op"
	baseline string // the baseline benchmark; empty for none
	target   *target
}

// section is one table of the page.
type section struct {
	title string
	rows  []row
}

const tableHeader = "| Row | Median ± 95% CI | Baseline | Ratio | Target | Met |\n" +
	"|---|---|---|---|---|---|\n"

// writeSection prints s as a Markdown table.
func writeSection(w io.Writer, s section, all map[string]stats) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n%s", s.title, tableHeader)
	for _, r := range s.rows {
		b.WriteString(r.format(all))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// format returns the row as one Markdown table line.
func (r row) format(all map[string]stats) string {
	value, ok := lookup(all, r.pkg, r.unit, r.name)
	if !ok {
		return fmt.Sprintf("| %s | not measured (%s %s) | | | %s | |\n", r.label, r.pkg, r.name,
			r.targetText())
	}
	measured := formatValue(value.median, r.unit) + " ± " + value.ci
	if r.baseline == "" {
		return fmt.Sprintf("| %s | %s | | | %s | %s |\n", r.label, measured, r.targetText(),
			r.verdict(value.median, 0))
	}
	base, ok := lookup(all, r.pkg, r.unit, r.baseline)
	if !ok {
		return fmt.Sprintf("| %s | %s | not measured (%s) | | %s | |\n", r.label, measured,
			r.baseline, r.targetText())
	}
	return fmt.Sprintf("| %s | %s | %s ± %s | %s | %s | %s |\n", r.label, measured,
		formatValue(base.median, r.unit), base.ci, formatRatio(value.median, base.median),
		r.targetText(), r.verdict(value.median, base.median))
}

func lookup(all map[string]stats, pkg, unit, name string) (summary, bool) {
	s, ok := all[pkg][unit][name]
	return s, ok
}

func (r row) targetText() string {
	if r.target == nil {
		return ""
	}
	return r.target.text
}

func (r row) verdict(value, baseline float64) string {
	switch {
	case r.target == nil:
		return ""
	case r.target.met(value, baseline):
		return "yes"
	default:
		return "**no**"
	}
}

func formatRatio(value, baseline float64) string {
	if baseline == 0 {
		if value == 0 {
			return "1.00x"
		}
		return "—"
	}
	return fmt.Sprintf("%.2fx", value/baseline)
}

// formatValue prints v, given in benchstat's unit, with a readable scale. Times are in ns, µs,
// ms or s and bytes in B, KiB or MiB. Other units stay as they are, without an exponent.
func formatValue(v float64, unit string) string {
	switch {
	case strings.HasPrefix(unit, "sec/"), strings.HasSuffix(unit, "-sec/op"),
		strings.HasSuffix(unit, "-sec"):
		return formatSeconds(v) + unitAfter(unit, "sec")
	case unit == "B/op":
		return formatBytes(v) + "/op"
	case unit == "B/s":
		return formatBytes(v) + "/s"
	case math.Abs(v) >= 1000:
		return fmt.Sprintf("%.0f %s", v, unit)
	}
	return fmt.Sprintf("%.4g %s", v, unit)
}

// unitAfter returns the rest of unit without "sec", such as "/op" for "sec/op" and " p99" for
// "p99-sec".
func unitAfter(unit, seconds string) string {
	before, after, _ := strings.Cut(unit, seconds)
	if before != "" {
		return " " + strings.TrimSuffix(before, "-") + after
	}
	return after
}

func formatSeconds(s float64) string {
	switch abs := math.Abs(s); {
	case abs == 0:
		return "0"
	case abs < 1e-6:
		return fmt.Sprintf("%.4gns", s*1e9)
	case abs < 1e-3:
		return fmt.Sprintf("%.4gµs", s*1e6)
	case abs < 1:
		return fmt.Sprintf("%.4gms", s*1e3)
	}
	return fmt.Sprintf("%.4gs", s)
}

func formatBytes(b float64) string {
	switch abs := math.Abs(b); {
	case abs < 1<<10:
		return fmt.Sprintf("%.4gB", b)
	case abs < 1<<20:
		return fmt.Sprintf("%.4gKiB", b/(1<<10))
	}
	return fmt.Sprintf("%.4gMiB", b/(1<<20))
}
