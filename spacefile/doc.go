// Package spacefile reads and validates a Space app's Spacefile, the YAML file in the project
// root that lists the app's Micros.
//
// [Parse] decodes a Spacefile from bytes and [Load] reads dir/Spacefile from disk. Both check
// every rule of Spacefile version 0 and return either a [Spacefile] with its normalised values
// or a [*ValidationError] that lists every problem found, each with its YAML line, the Micro's
// name and what to change. Parse looks at the text only. Load also checks that the src folder
// of every non-primary Micro exists, as the space CLI did before it ran an app.
//
// The rules:
//
//   - Keys are exactly those of the Spacefile reference. An unknown or repeated key is an
//     error at any level, and so is a TAB used for indentation.
//   - Values are typed as YAML 1.2 reads them: only true and false are booleans, so
//     primary: yes is a string and is rejected, and unquoted 50 is an integer where a
//     string is expected.
//   - An app has 1 to 5 Micros. With more than one, exactly one sets primary: true. A lone
//     Micro is primary whatever its primary key is set to.
//   - The primary Micro's path is "/". Any other Micro's path defaults to its name, gains a
//     leading "/" and loses one trailing "/", so path: api becomes "/api".
//   - A scheduled action's default_interval is a rate such as "5 minutes" or a 5-field cron
//     expression in UTC. [Interval] computes its next run.
//
// A parsed [Spacefile] is never modified by this package, so any number of goroutines may read
// it at once.
package spacefile
