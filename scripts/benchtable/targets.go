package main

import "fmt"

// target is the goal of a row, checked against its median and its baseline's median.
type target struct {
	text string
	met  func(value, baseline float64) bool
}

// atMost is met when value/baseline is at most limit.
func atMost(limit float64) *target {
	return &target{
		text: fmt.Sprintf("≤ %.2fx", limit),
		met:  func(v, b float64) bool { return b > 0 && v/b <= limit },
	}
}

// under is met when value/baseline is below limit.
func under(limit float64) *target {
	return &target{
		text: fmt.Sprintf("< %.2fx", limit),
		met:  func(v, b float64) bool { return b > 0 && v/b < limit },
	}
}

// fasterBy is met when value is at least factor times smaller than baseline.
func fasterBy(factor float64) *target {
	return &target{
		text: fmt.Sprintf("≤ %.2fx (%gx faster)", 1/factor, factor),
		met:  func(v, b float64) bool { return v > 0 && b/v >= factor },
	}
}

// sameAsBaseline is met when value equals baseline, as for allocations added by a wrapper.
func sameAsBaseline() *target {
	return &target{
		text: "= baseline",
		met:  func(v, b float64) bool { return v == b },
	}
}

// zero is met when value is 0. It needs no baseline.
func zero() *target {
	return &target{
		text: "0",
		met:  func(v, _ float64) bool { return v == 0 },
	}
}
