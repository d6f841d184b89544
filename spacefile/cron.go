package spacefile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser reads the 5 standard fields, without seconds and without descriptors such as
// @daily.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

var cronFieldNames = [5]string{"minute", "hour", "day-of-month", "month", "day-of-week"}

// dayOfWeek is the index of the day-of-week field.
const dayOfWeek = 4

// cronItem is one comma-separated item of a cron field: "*" or a value or range, with an
// optional step. robfig/cron also accepts "?", "*-5", empty items and a TZ= prefix, which
// Space's syntax does not have.
var cronItem = regexp.MustCompile(`^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?$`)

// starBit is the bit that robfig/cron v3.0.1 sets in a field it parsed from "*", which
// distinguishes an unrestricted day field from a restricted one. The package does not export it.
const starBit = 1 << 63

// cronCheckTime is the start of the search for a first run that rejects an expression that
// never matches, such as "0 0 30 2 *". robfig/cron searches 5 years ahead, which from 2000
// includes two February 29ths.
var cronCheckTime = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// parseCron parses a 5-field cron expression in UTC.
func parseCron(text string, fields []string) (Interval, error) {
	fields[dayOfWeek] = sundayAsZero(fields[dayOfWeek])
	for i, field := range fields {
		if err := checkCronField(i, field); err != nil {
			return Interval{}, fmt.Errorf("the interval %q has an invalid %w", excerpt(text), err)
		}
	}
	schedule, err := cronParser.Parse(strings.Join(fields, " "))
	if err != nil {
		return Interval{}, fmt.Errorf("the interval %q is not a valid cron expression: %w",
			excerpt(text), err)
	}
	spec := schedule.(*cron.SpecSchedule)
	spec.Location = time.UTC
	if err := checkCronDays(text, spec); err != nil {
		return Interval{}, err
	}
	return Interval{text: text, spec: spec}, nil
}

// checkCronField checks the syntax of field i, then lets robfig/cron check its values alone, so
// that the error can name the field.
func checkCronField(i int, field string) error {
	for item := range strings.SplitSeq(field, ",") {
		if !cronItem.MatchString(item) {
			return fmt.Errorf("%s field %q: each comma-separated item must be *, a value or a "+
				"range such as 1-5, with an optional step such as /15", cronFieldNames[i], excerpt(field))
		}
	}
	alone := []string{"*", "*", "*", "*", "*"}
	alone[i] = field
	_, err := cronParser.Parse(strings.Join(alone, " "))
	switch {
	case err == nil:
		return nil
	case i == dayOfWeek:
		// robfig/cron's message gives 6 as the maximum, which the rewrite of 7 makes wrong.
		return fmt.Errorf("%s field %q: use days from 0 to 7 or sun to sat, where 0 and 7 "+
			"are Sunday, in ranges that run forwards such as mon-fri", cronFieldNames[i], excerpt(field))
	}
	return fmt.Errorf("%s field %q: %s", cronFieldNames[i], excerpt(field),
		cutRunes(err.Error(), maxForeignMessageRunes))
}

// checkCronDays rejects an expression whose two day fields are both restricted, which cron
// implementations combine in different ways, and one that never matches a date.
func checkCronDays(text string, spec *cron.SpecSchedule) error {
	if spec.Dom&starBit == 0 && spec.Dow&starBit == 0 {
		return fmt.Errorf("the interval %q restricts both day-of-month and day-of-week; set "+
			"one of them to *", excerpt(text))
	}
	if spec.Next(cronCheckTime).IsZero() {
		return fmt.Errorf("the interval %q never matches a date; check its day-of-month and "+
			"month fields", excerpt(text))
	}
	return nil
}

// dowNames maps the day names that robfig/cron accepts to their numbers.
var dowNames = map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5,
	"sat": 6}

// dowItem splits a day-of-week item into its start, end and step.
var dowItem = regexp.MustCompile(`^([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?(?:/([0-9]+))?$`)

// sundayAsZero rewrites the items of a day-of-week field that use 7, which cron allows for
// Sunday and robfig/cron rejects, as lists of days from 0 to 6: "5-7" becomes "5,6,0". Items
// it cannot read stay as they are, for the parser to reject.
func sundayAsZero(field string) string {
	items := strings.Split(field, ",")
	for i, item := range items {
		items[i] = rewriteSeven(item)
	}
	return strings.Join(items, ",")
}

func rewriteSeven(item string) string {
	m := dowItem.FindStringSubmatch(item)
	if m == nil {
		return item
	}
	start, end, step, ok := dowRange(m[1], m[2], m[3])
	if !ok || (start != 7 && end != 7) || start > end || step < 1 {
		return item
	}
	var days []string
	for day := start; day <= end; day += step {
		days = append(days, strconv.Itoa(day%7))
	}
	return strings.Join(days, ",")
}

// dowRange reads the parts of a day-of-week item. A start with a step and no end runs to
// Saturday, as "N/step" runs to the maximum in robfig/cron, except that "7/step" is Sunday.
// NOTE: so "1/2" means Monday, Wednesday and Friday. Cron implementations that read it as
// "1-7/2" add Sunday, and Space's own reading is not documented.
func dowRange(first, last, stepText string) (start, end, step int, ok bool) {
	start, ok = dowValue(first)
	end, step = start, 1
	if stepText != "" {
		step, _ = strconv.Atoi(stepText)
		end = max(start, 6)
	}
	if last != "" && ok {
		end, ok = dowValue(last)
	}
	return start, end, step, ok
}

func dowValue(text string) (int, bool) {
	if day, ok := dowNames[strings.ToLower(text)]; ok {
		return day, true
	}
	n, err := strconv.Atoi(text)
	return n, err == nil && n >= 0 && n <= 7
}
