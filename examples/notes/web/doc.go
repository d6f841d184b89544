// Command web is the primary Micro of the notes example. It serves the app's page at "/", a
// page whose script lists, adds, shares and deletes notes through fetch('/api/notes') and
// shows the statistics from fetch('/worker/stats'). Those calls use relative paths on the
// app's origin, so the browser's session cookie authenticates them and no key reaches the
// page.
//
// GET /share/{token} is a public route: it renders one shared note to anyone. The Micro
// fetches that note server-side from the api Micro with the app's key. Every page is rendered
// with html/template, and the script inserts note text with textContent, so user text is
// always escaped. The Content-Security-Policy allows the app's own script and stylesheet and
// nothing else.
package main
