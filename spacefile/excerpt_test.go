package spacefile_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// TestProblemQuotesExcerpt checks that a problem quotes at most the first 64 runes of a long
// value, counted by rune, followed by "…".
func TestProblemQuotesExcerpt(t *testing.T) {
	t.Parallel()
	const valid = "v: 0\nmicros:\n  - name: api\n    src: .\n    engine: custom\n"
	action := valid + "    actions:\n      - id: a\n        name: a\n        trigger: schedule\n" +
		"        default_interval: "
	x64 := strings.Repeat("x", 64)
	e64 := strings.Repeat("é", 64)
	tests := []struct {
		name string
		data string
		want string
	}{
		{"app_name of 64 KiB", "v: 0\napp_name: " + strings.Repeat("x", 64<<10) + "\n" +
			valid[5:],
			`line 2: app_name: "` + x64 + `…" has 65536 characters; shorten it to at most 12`},
		{"app_name of 65 runes", "v: 0\napp_name: " + strings.Repeat("x", 65) + "\n" +
			valid[5:],
			`line 2: app_name: "` + x64 + `…" has 65 characters; shorten it to at most 12`},
		{"app_name of 64 runes", "v: 0\napp_name: " + x64 + "\n" + valid[5:],
			`line 2: app_name: "` + x64 + `" has 64 characters; shorten it to at most 12`},
		{"micro name of two-byte runes", strings.Replace(valid, "name: api",
			"name: "+strings.Repeat("é", 32<<10), 1),
			`line 3: micro "` + e64 + `…": name: "` + e64 + `…" is not a valid micro name; ` +
				`use only letters, digits, - and _, starting with a letter or digit`},
		{"unknown key of 200 bytes", "v: 0\n" + strings.Repeat("k", 200) + ": 1\n" + valid[5:],
			`line 2: ` + strings.Repeat("k", 64) + `…: unknown key; the top level allows only ` +
				`v, micros, icon, app_name and auto_pwa`},
		{"version of 300 digits", "v: " + strings.Repeat("9", 300) + "\n" + valid[5:],
			`line 1: v: the Spacefile version must be the integer 0, not the number ` +
				strings.Repeat("9", 64) + `…; write v: 0 without quotes`},
		{"interval of 100 digits", action + `"` + strings.Repeat("5", 100) + " minutes\"\n",
			`line 10: micro "api": actions[0].default_interval: the interval "` +
				strings.Repeat("5", 64) + `…" needs a whole number of 1 or more before the ` +
				`unit, such as "5 minutes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sf, err := spacefile.Parse([]byte(tt.data))
			require.Error(t, err)
			assert.Nil(t, sf)
			var verr *spacefile.ValidationError
			require.ErrorAs(t, err, &verr)
			require.Len(t, verr.Problems, 1)
			assert.Equal(t, tt.want, verr.Problems[0].String())
		})
	}
}

// TestProblemBoundsParserMessages checks that a message from the YAML or cron parser, which
// may quote a value of any length, is cut as well.
func TestProblemBoundsParserMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
	}{
		{"anchor name of 64 KiB", "v: 0\nx: *" + strings.Repeat("a", 64<<10) + "\n"},
		{"cron field of 64 KiB", "v: 0\nmicros:\n  - name: api\n    src: .\n" +
			"    engine: custom\n    actions:\n      - id: a\n        name: a\n" +
			"        trigger: schedule\n        default_interval: " +
			strings.Repeat("1", 64<<10) + " * * * *\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := spacefile.Parse([]byte(tt.data))
			require.Error(t, err)
			var verr *spacefile.ValidationError
			require.ErrorAs(t, err, &verr)
			require.NotEmpty(t, verr.Problems)
			for _, p := range verr.Problems {
				assert.LessOrEqual(t, len(p.String()), 1024, "%.200s", p.String())
				assert.Contains(t, p.String(), "…")
			}
		})
	}
}
