// Package reliability holds the tests that cross package boundaries: a fault soak of the client
// against a spacetest app, checks that the app's key never reaches a log line, an error or a
// recorded request, and tables of malformed input for every entry point of the kit. The package
// has no exported API; RELIABILITY.md at the repository root records what the tests tried and
// what they found.
package reliability
