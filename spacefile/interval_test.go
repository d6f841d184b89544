package spacefile_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

func TestParseIntervalRates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want time.Duration
	}{
		{"1 minute", time.Minute},
		{"15 minutes", 15 * time.Minute},
		{"1 hour", time.Hour},
		{"2 hours", 2 * time.Hour},
		{"1 day", 24 * time.Hour},
		{"5 days", 5 * 24 * time.Hour},
		{"  3   hours ", 3 * time.Hour},
	}
	after := time.Date(2024, time.February, 28, 23, 30, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			interval, err := spacefile.ParseInterval(tt.text)
			require.NoError(t, err)
			every, ok := interval.Rate()
			assert.True(t, ok)
			assert.Equal(t, tt.want, every)
			assert.Equal(t, after.Add(tt.want), interval.Next(after))
			assert.Equal(t, tt.text, interval.String())
			assert.False(t, interval.IsZero())
		})
	}
}

func TestParseIntervalCron(t *testing.T) {
	t.Parallel()
	// Wednesday 2024-05-01 12:00:30 UTC.
	after := time.Date(2024, time.May, 1, 12, 0, 30, 0, time.UTC)
	at := func(day, hour, minute int) time.Time {
		return time.Date(2024, time.May, day, hour, minute, 0, 0, time.UTC)
	}
	tests := []struct {
		text string
		want time.Time
	}{
		{"* * * * *", at(1, 12, 1)},
		{"*/15 * * * *", at(1, 12, 15)},
		{"0/17 * * * *", at(1, 12, 17)},
		{"0 10 * * *", at(2, 10, 0)},
		{"30 8 1,15 * *", at(15, 8, 30)},
		{"0 0 * * 0", at(5, 0, 0)},
		{"0 0 * * 7", at(5, 0, 0)},
		{"0 0 * * sun", at(5, 0, 0)},
		{"0 0 * * SUN", at(5, 0, 0)},
		{"0 0 * * 6-7", at(4, 0, 0)},
		{"0 0 * * sat-7", at(4, 0, 0)},
		{"0 0 * * 7,mon", at(5, 0, 0)},
		{"0 0 * * 7/3", at(5, 0, 0)},
		{"0 9 * * mon-fri", at(2, 9, 0)},
		{"0 0 1 jun *", time.Date(2024, time.June, 1, 0, 0, 0, 0, time.UTC)},
		{"0 0 29 feb *", time.Date(2028, time.February, 29, 0, 0, 0, 0, time.UTC)},
		{"0 12-14/2 * * *", at(1, 14, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			interval, err := spacefile.ParseInterval(tt.text)
			require.NoError(t, err)
			assert.Equal(t, tt.want, interval.Next(after))
			_, ok := interval.Rate()
			assert.False(t, ok)
			assert.Equal(t, tt.text, interval.String())
		})
	}
}

func TestIntervalNextSundayEveryDay(t *testing.T) {
	t.Parallel()
	zero, err := spacefile.ParseInterval("0 6 * * 0")
	require.NoError(t, err)
	seven, err := spacefile.ParseInterval("0 6 * * 7")
	require.NoError(t, err)
	weekend, err := spacefile.ParseInterval("0 6 * * 5-7")
	require.NoError(t, err)

	day := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)
	for range 14 {
		assert.Equal(t, zero.Next(day), seven.Next(day), "after %v", day)
		next := weekend.Next(day)
		weekday := next.Weekday()
		assert.Contains(t, []time.Weekday{time.Friday, time.Saturday, time.Sunday}, weekday,
			"after %v", day)
		day = day.Add(24 * time.Hour)
	}
}

func TestIntervalNextUsesUTC(t *testing.T) {
	t.Parallel()
	interval, err := spacefile.ParseInterval("0 10 * * *")
	require.NoError(t, err)
	berlin := time.FixedZone("UTC+2", 2*60*60)
	after := time.Date(2024, time.May, 1, 11, 0, 0, 0, berlin) // 09:00 UTC

	next := interval.Next(after)
	assert.Equal(t, time.Date(2024, time.May, 1, 10, 0, 0, 0, time.UTC), next.UTC())
	assert.Equal(t, berlin, next.Location(), "the result keeps the caller's location")
}

func TestIntervalNextIsStrictlyLater(t *testing.T) {
	t.Parallel()
	interval, err := spacefile.ParseInterval("0 10 * * *")
	require.NoError(t, err)
	at := time.Date(2024, time.May, 1, 10, 0, 0, 0, time.UTC)
	assert.Equal(t, at.Add(24*time.Hour), interval.Next(at))
}

func TestIntervalZero(t *testing.T) {
	t.Parallel()
	var zero spacefile.Interval
	assert.True(t, zero.IsZero())
	assert.True(t, zero.Next(time.Now()).IsZero())
	assert.Equal(t, "", zero.String())
	_, ok := zero.Rate()
	assert.False(t, ok)
}

func TestParseIntervalErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text     string
		contains string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"1 minutes", `must read "1 minute"`},
		{"1 hours", `must read "1 hour"`},
		{"1 days", `must read "1 day"`},
		{"5 minute", `must read "5 minutes"`},
		{"2 day", `must read "2 days"`},
		{"0 minutes", "1 or more"},
		{"-5 minutes", "1 or more"},
		{"+5 minutes", "1 or more"},
		{"1.5 hours", "1 or more"},
		{"five minutes", "1 or more"},
		{"99999999999 days", "too long"},
		{"5 weeks", `unit "weeks"`},
		{"5 Minutes", `unit "Minutes"`},
		{"every 5 minutes", "neither a rate nor a cron"},
		{"rate(5 minutes)", `unit "minutes)"`},
		{"@daily", "neither a rate nor a cron"},
		{"0 0 10 * * *", "6 fields"},
		{"0 0 1 * mon", "both day-of-month and day-of-week"},
		{"0 0 1-7 * 1", "both day-of-month and day-of-week"},
		{"0 0 */2 * */2", "both day-of-month and day-of-week"},
		{"0 0 30 2 *", "never matches"},
		{"0 0 31 apr *", "never matches"},
		{"60 * * * *", `minute field "60"`},
		{"* 24 * * *", `hour field "24"`},
		{"* * 0 * *", `day-of-month field "0"`},
		{"* * * 13 *", `month field "13"`},
		{"* * * * 8", `day-of-week field "8": use days from 0 to 7`},
		{"* * * * 7-8", `day-of-week field "7-8": use days from 0 to 7`},
		{"* * * * mon-sun", `day-of-week field "mon-sun": use days from 0 to 7`},
		{"mon * * * *", `minute field "mon"`},
		{"*/0 * * * *", `minute field "*/0"`},
		{"0 0 ? * *", `day-of-month field "?"`},
		{"*-5 * * * *", `minute field "*-5"`},
		{"1,,2 * * * *", `minute field "1,,2"`},
		{"1, * * * *", `minute field "1,"`},
		{"TZ=UTC 0 * * *", `minute field "TZ=UTC"`},
		{"0 0 L * *", `day-of-month field "L"`},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			interval, err := spacefile.ParseInterval(tt.text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.contains)
			assert.Contains(t, err.Error(), "spacefile: ")
			assert.True(t, interval.IsZero())
		})
	}
}
