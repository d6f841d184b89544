package spacefile_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// notesApp is a Spacefile that uses every key of the format.
const notesApp = `# Notes: a static front end, an API and a worker.
v: 0
icon: ./icon.png
app_name: Notes
auto_pwa: false
micros:
  - name: web
    src: ./web
    engine: static
    primary: true
    serve: dist
    commands:
      - npm ci
      - npm run build
    dev: npm run dev
    public_routes:
      - /share/*
      - /assets/*

  - name: api
    src: ./api
    engine: custom
    path: /v1/api/
    commands:
      - go build -o server .
    include:
      - server
      - templates/
    run: ./server
    presets:
      env:
        - name: NOTES_TITLE
          description: Title shown on every page
          default: My notes
        - name: SMTP_URL
      api_keys: true
    provide_actions: true
    actions:
      - id: cleanup
        name: Clean up
        description: Deletes notes in the bin for more than 30 days
        trigger: schedule
        default_interval: 0 3 * * *
      - id: digest
        name: Digest
        trigger: schedule
        default_interval: 1 day
        path: /jobs/digest

  - name: worker
    src: ./worker
    engine: python3.9
    run: python main.py
    public: true
`

func mustInterval(t *testing.T, text string) spacefile.Interval {
	t.Helper()
	interval, err := spacefile.ParseInterval(text)
	require.NoError(t, err)
	return interval
}

func TestParseEveryField(t *testing.T) {
	t.Parallel()
	sf, err := spacefile.Parse([]byte(notesApp))
	require.NoError(t, err)

	autoPWA := false
	want := &spacefile.Spacefile{
		V: 0, Icon: "./icon.png", AppName: "Notes", AutoPWA: &autoPWA,
		Micros: []*spacefile.Micro{
			{
				Name: "web", Src: "./web", Engine: "static", Primary: true, Path: "/",
				Serve: "dist", Commands: []string{"npm ci", "npm run build"},
				Dev: "npm run dev", PublicRoutes: []string{"/share/*", "/assets/*"}, Line: 7,
			},
			{
				Name: "api", Src: "./api", Engine: "custom", Path: "/v1/api",
				Commands: []string{"go build -o server ."},
				Include:  []string{"server", "templates/"}, Run: "./server",
				Presets: spacefile.Presets{
					Env: []spacefile.EnvPreset{
						{Name: "NOTES_TITLE", Description: "Title shown on every page",
							Default: "My notes"},
						{Name: "SMTP_URL"},
					},
					APIKeys: true,
				},
				ProvideActions: true,
				Actions: []spacefile.Action{
					{ID: "cleanup", Name: "Clean up",
						Description: "Deletes notes in the bin for more than 30 days",
						Trigger:     "schedule", Interval: mustInterval(t, "0 3 * * *"),
						Micro: "api", Line: 39},
					{ID: "digest", Name: "Digest", Trigger: "schedule",
						Interval: mustInterval(t, "1 day"), Path: "/jobs/digest",
						Micro: "api", Line: 44},
				},
				Line: 20,
			},
			{
				Name: "worker", Src: "./worker", Engine: "python3.9", Path: "/worker",
				Run: "python main.py", Public: true, Line: 50,
			},
		},
	}
	assert.Equal(t, want, sf)
}

func TestSpacefileLookups(t *testing.T) {
	t.Parallel()
	sf, err := spacefile.Parse([]byte(notesApp))
	require.NoError(t, err)

	assert.Equal(t, "web", sf.Primary().Name)
	assert.Equal(t, "/v1/api", sf.Micro("api").Path)
	assert.Nil(t, sf.Micro("API"), "names are case-sensitive")
	assert.Nil(t, sf.Micro("missing"))

	action := sf.Action("digest")
	require.NotNil(t, action)
	assert.Equal(t, "api", action.Micro)
	assert.Equal(t, "Digest", action.Name)
	assert.Nil(t, sf.Action("nightly"))
}

func TestSpacefileLookupsOnNilAndZero(t *testing.T) {
	t.Parallel()
	var nilFile *spacefile.Spacefile
	assert.Nil(t, nilFile.Primary())
	assert.Nil(t, nilFile.Micro("api"))
	assert.Nil(t, nilFile.Action("cleanup"))

	var zero spacefile.Spacefile
	assert.Nil(t, zero.Primary())
	assert.Nil(t, zero.Micro("api"))
	assert.Nil(t, zero.Action("cleanup"))
}

func TestMicroHelpers(t *testing.T) {
	t.Parallel()
	sf, err := spacefile.Parse([]byte(notesApp))
	require.NoError(t, err)
	web, api, worker := sf.Micro("web"), sf.Micro("api"), sf.Micro("worker")

	assert.True(t, web.IsStatic())
	assert.False(t, api.IsStatic())
	assert.Equal(t, "web/dist", web.ServeDir())
	assert.Equal(t, "", api.ServeDir())

	assert.Equal(t, "npm run dev", web.DevCommand(), "dev wins when set")
	assert.Equal(t, "./server", api.DevCommand(), "run is the fallback")
	assert.Equal(t, "python main.py", worker.DevCommand())
	assert.Equal(t, "", (&spacefile.Micro{}).DevCommand())

	assert.Equal(t, []string{"cleanup", "digest"}, api.ActionIDs())
	assert.Nil(t, web.ActionIDs())
}

func TestIntervalOfParsedAction(t *testing.T) {
	t.Parallel()
	sf, err := spacefile.Parse([]byte(notesApp))
	require.NoError(t, err)
	after := time.Date(2024, time.May, 1, 12, 0, 0, 0, time.UTC)

	cleanup := sf.Action("cleanup").Interval
	assert.Equal(t, time.Date(2024, time.May, 2, 3, 0, 0, 0, time.UTC), cleanup.Next(after))
	digest := sf.Action("digest").Interval
	assert.Equal(t, after.Add(24*time.Hour), digest.Next(after))
}
