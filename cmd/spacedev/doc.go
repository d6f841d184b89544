// Command spacedev runs a Space app on one machine: it reads the app's Spacefile, starts every
// Micro with the environment Space gave it, and serves them all behind one router that
// routes, strips prefixes and authenticates as Space did. spacetest runs the same router in
// process, so tests and local runs agree.
//
// Install it with
//
//	go install github.com/spacekit/spacekit/cmd/spacedev@latest
//
// which puts spacedev in $(go env GOPATH)/bin, or run it from a clone of the repository with
// "go run ./cmd/spacedev" in place of "spacedev".
//
// Usage:
//
//	spacedev up [flags] [dir]           start every Micro and serve the app
//	spacedev check [flags] [dir]        validate the Spacefile and print the app
//	spacedev env [flags] [dir] <micro>  print the environment a Micro receives
//	spacedev trigger [dir] <action>     run an action now in the running app
//	spacedev login [dir]                print a new one-time login URL
//
// dir is the folder that contains the Spacefile, "." by default. Flags may come before or
// after the arguments, as in "spacedev env examples/notes api --reveal". Run
// "spacedev <command> -h" for the flags of a command. trigger, login and env check that dir
// contains a Spacefile before they look for the running app.
//
// # Micros
//
// "spacedev up" starts each Micro's dev command, or its run command when it has no dev
// command (--command=run uses run only), with "sh -c" in the Micro's src folder, so "&&" and
// "$PORT" work. Before it starts a Micro with its run command, it runs the Micro's Spacefile
// commands, the build steps Space ran before run, one at a time in the same way and with the
// same environment. A build command that fails stops spacedev before any Micro starts, with
// the command, its exit code and its last lines of output. With the dev command, spacedev
// skips the commands, because a dev command such as "go run ." builds for itself.
// --start-timeout does not count the time the build commands take. Each command runs in a process group of its own. A Micro with the static
// engine, and a react, svelte or vue Micro without a command, is not started: spacedev serves
// its serve folder itself. spacedev waits until every Micro accepts connections on
// 127.0.0.1:$PORT, then serves the app on --addr (localhost:4200 by default) and prints the
// app's URL and a one-time login URL.
//
// # Environment
//
// Each Micro gets the environment of the shell that runs spacedev, plus:
//
//	PORT                       a free loopback port, picked at each start
//	DETA_SPACE_APP_HOSTNAME    the router's host:port, so calls to sibling Micros go through
//	                           the router, as on Space
//	DETA_API_KEY               a generated key, the same at every start
//	DETA_PROJECT_KEY           a generated "<project id>_<secret>", the same at every start
//	DETA_SPACE_APP_MICRO_NAME  the Micro's name
//	DETA_SPACE_APP_MICRO_TYPE  primary or normal
//	DETA_SPACE_APP_VERSION     dev
//	DETA_SPACE_APP             false, so code can tell that it runs locally
//	presets.env names          the shell's value when it is not blank, else the default
//
// SPACEKIT_BASE_URL is removed from the inherited environment, and set to http://<hostname>
// only when --addr names a host that would otherwise mean https.
//
// # State folder
//
// spacedev keeps the generated keys, and the session signing key that lets a restart keep
// browser sessions, in dir/.spacedev/, which contains a .gitignore that ignores everything in
// it. While "spacedev up" runs, the folder also records its address for "spacedev trigger"
// and "spacedev login".
//
// # Authentication
//
// The router enforces Space's authentication unless --no-auth is given: public routes are
// open, X-API-Key with DETA_API_KEY opens every Micro, and a browser logs in with the printed
// one-time URL, which sets a session cookie.
//
// # Actions
//
// spacedev runs each scheduled action on its rate or cron interval, in UTC, by posting the
// action's event to the Micro that declares it through the router. Scheduled runs of one
// action never overlap. --schedule-speed makes schedule time pass faster, to try out actions:
// at 60, a "1 minute" action runs every second. "spacedev trigger" runs an action at once.
//
// Paths under /__spacedev/ belong to spacedev's control endpoint and never reach a Micro:
// POST /__spacedev/trigger?id=<action id> runs an action and POST /__spacedev/login returns a
// new login URL. Both require the app's key in X-API-Key.
//
// # Crashes and stopping
//
// A Micro whose command exits while the app runs is logged with its exit code. With
// --on-crash=restart, the default, spacedev restarts it after 500ms, doubling the wait up to
// 30s after each crash in a row. The crash after --max-restarts restarts in a row stops the
// app, and a run of a minute or more starts the count again. With --on-crash=stop, the first
// crash stops the app with exit status 1.
//
// SIGINT or SIGTERM stops the app: spacedev sends SIGTERM to every Micro's process group,
// SIGKILL to what is left after --stop-timeout, waits until no process of the groups runs, and
// exits with status 0. A second signal sends SIGKILL at once.
//
// # Logs
//
// Standard output carries each Micro's output, one line at a time behind the Micro's name,
// coloured on a terminal unless NO_COLOR is set. Standard error carries spacedev's own log in
// --log-format text or json: starts, stops, crashes, restarts, action runs, errors and one
// line per request with its method, path, Micro, status and duration. That log contains no
// generated key, login token or query string; the Micros' own output is passed on as it is.
package main
