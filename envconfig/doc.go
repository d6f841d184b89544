// Package envconfig reads a Micro's environment into a typed, validated [Config].
//
// Space gave every Micro the same set of variables: the app's hostname, an app-internal API key
// for calls between Micros, the Micro's name and type, and the values of the Spacefile's
// presets.env entries. [Load] reads them from the process environment and [LoadFrom] from any
// source shaped like [os.LookupEnv], such as a map in a test.
//
// Keys are held as [Secret] values, which print as a fixed redaction in every format, log and
// JSON encoding. Only [Secret.Reveal] returns the value.
//
// Code that runs outside Space, against the spacedev router or a test server, can set
// SPACEKIT_BASE_URL to direct sibling calls to another address without changing the hostname.
package envconfig
