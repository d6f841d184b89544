// Command worker is the worker Micro of the notes example. The Spacefile declares its
// scheduled action collect-stats, every minute: the runtime posts the action's event to
// /__space/v0/actions, and the worker lists the notes through the api Micro, with the app's
// key, and stores their counts in $DATA_DIR/stats.json. A call that fails with 5xx is retried
// by the client; a run that still fails gets 502 and counts nothing.
//
// GET /stats, under the app's /worker prefix, returns the statistics as JSON:
// {"notes", "shared", "runs", "last_run"}, where last_run is absent before the first run.
package main
