// Command benchtable turns benchstat summaries into the Markdown tables of BENCHMARKS.md:
// for each row, the median and its 95% confidence interval, the baseline's median, their
// ratio, the target and whether the ratio meets it.
//
//	benchtable -dir scripts/out/stat > scripts/out/tables.md
//
// The directory holds one file per package, LABEL.csv, written by
// "benchstat -format csv LABEL.txt" from one package's go test -bench output: client,
// middleware, spacetest, router, spacedev, spacefile, and load for routerbench. The rows and
// targets are listed in rows.go. A row whose benchmark is in no file is printed as
// "not measured", so a benchmark that is renamed or removed shows up on the page.
package main
