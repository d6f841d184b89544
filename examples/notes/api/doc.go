// Command api is the api Micro of the notes example. It stores notes as JSON in
// $DATA_DIR/notes.json and serves them under the app's /api prefix, which the router strips:
//
//	GET    /notes            every note, oldest first
//	POST   /notes            {"text": "...", "shared": false} creates a note: 201
//	GET    /notes/{id}       one note
//	PATCH  /notes/{id}       {"shared": true} shares a note, false stops sharing it
//	DELETE /notes/{id}       deletes a note: 204
//	GET    /shared/{token}   the shared note with that share token, for the web Micro
//
// A note is {"id", "text", "created", "shared", "share_token"}; share_token is present while
// the note is shared. Errors are JSON, {"error": "...", "message": "..."}: 400 for an invalid
// body, 404 for an unknown id, 413 above 64 KiB, 415 for a body that is not JSON.
//
// Every change rewrites notes.json atomically and flushes it to disk before the response, so
// a restart or a crash loses no note that a client saw acknowledged.
//
// The router in front authenticates every request: the owner's browser by its session, other
// Micros by the app's key. The Micro checks again for requests that reach its port directly;
// see newAuth.
package main
