package spacefile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Interval is a parsed default_interval: a rate such as "5 minutes" or a 5-field cron
// expression evaluated in UTC. The zero Interval never runs. An Interval is immutable and safe
// for concurrent use, and its Next method satisfies cron.Schedule of github.com/robfig/cron/v3.
type Interval struct {
	text  string
	every time.Duration      // set for a rate
	spec  *cron.SpecSchedule // set for a cron expression
}

// ParseInterval parses a default_interval value. A rate is "<n> <unit>" with n a whole number
// of 1 or more and the unit minute, hour or day, singular exactly when n is 1. A cron
// expression has the five fields minute, hour, day-of-month, month and day-of-week, each made
// of numbers, "*", ",", "-" and "/". Months may also be jan to dec and days sun to sat, and
// both 0 and 7 mean Sunday. Day-of-month and day-of-week may not both be restricted.
func ParseInterval(text string) (Interval, error) {
	interval, err := parseInterval(text)
	if err != nil {
		return Interval{}, fmt.Errorf("spacefile: %w", err)
	}
	return interval, nil
}

func parseInterval(text string) (Interval, error) {
	fields := strings.Fields(text)
	switch len(fields) {
	case 2:
		return parseRate(text, fields[0], fields[1])
	case 5:
		return parseCron(text, fields)
	case 0:
		return Interval{}, fmt.Errorf("the interval is empty; %s", intervalForms)
	case 6:
		return Interval{}, fmt.Errorf("the interval %q has 6 fields, but Space's cron has no "+
			"seconds field; %s", excerpt(text), intervalForms)
	}
	return Interval{}, fmt.Errorf("the interval %q is neither a rate nor a cron expression; %s",
		excerpt(text), intervalForms)
}

const intervalForms = `use a rate such as "5 minutes" or a 5-field cron expression ` +
	`(minute hour day-of-month month day-of-week) such as "0 10 * * *"`

// rateUnits maps each rate unit, singular and plural, to its length.
var rateUnits = map[string]time.Duration{
	"minute": time.Minute, "minutes": time.Minute,
	"hour": time.Hour, "hours": time.Hour,
	"day": 24 * time.Hour, "days": 24 * time.Hour,
}

// parseRate parses "<n> <unit>".
func parseRate(text, count, unit string) (Interval, error) {
	length, ok := rateUnits[unit]
	if !ok {
		return Interval{}, fmt.Errorf("the interval %q has the unit %q; a rate's unit is "+
			"minute, minutes, hour, hours, day or days", excerpt(text), excerpt(unit))
	}
	n, err := strconv.ParseInt(count, 10, 64)
	if err != nil || n < 1 || !isDigits(count) {
		return Interval{}, fmt.Errorf("the interval %q needs a whole number of 1 or more "+
			"before the unit, such as \"5 %s\"", excerpt(text), plural(unit))
	}
	if n > math.MaxInt64/int64(length) {
		return Interval{}, fmt.Errorf("the interval %q is too long; Go durations end after "+
			"about 292 years", excerpt(text))
	}
	if want := unitFor(n, unit); want != unit {
		return Interval{}, fmt.Errorf("the interval %q must read \"%d %s\": the unit is "+
			"singular exactly when the number is 1", excerpt(text), n, want)
	}
	return Interval{text: text, every: time.Duration(n) * length}, nil
}

func isDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// plural returns the plural form of a rate unit.
func plural(unit string) string {
	return strings.TrimSuffix(unit, "s") + "s"
}

// unitFor returns unit in the form that n takes.
func unitFor(n int64, unit string) string {
	if n == 1 {
		return strings.TrimSuffix(unit, "s")
	}
	return plural(unit)
}

// Next returns the first run strictly after the given time: after plus the rate, or the next
// time that the cron expression matches in UTC, in after's location. It returns the zero time
// for the zero Interval.
func (i Interval) Next(after time.Time) time.Time {
	switch {
	case i.every > 0:
		return after.Add(i.every)
	case i.spec != nil:
		return i.spec.Next(after)
	}
	return time.Time{}
}

// Rate returns the time between runs and true for a rate, or 0 and false for a cron
// expression and for the zero Interval.
func (i Interval) Rate() (time.Duration, bool) {
	return i.every, i.every > 0
}

// IsZero reports whether i is the zero Interval, which never runs.
func (i Interval) IsZero() bool {
	return i.every == 0 && i.spec == nil
}

// String returns the interval as the Spacefile wrote it.
func (i Interval) String() string {
	return i.text
}
