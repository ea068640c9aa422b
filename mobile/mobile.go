// Package mobile holds gigakoll's mobile coverage (spec/mobile.md): the
// operators' files per grid square, operator and technology, their reader
// on package tabular, the store that lands a snapshot whole or not at all
// and folds it into one row per square, and the figures computed from
// those: per municipality, county and Sweden, outdoors and indoors, per
// class and operator, the households, workplaces and holiday homes in
// covered squares (against the coverage snapshot in force), the share of
// the area's squares covered, 5G and the number of operators per square;
// the mobile targets; the squares for the map and OGC; and the squares
// where residents' mobile measurements fall short of the operators' claim.
package mobile

import (
	"github.com/gigakoll/gigakoll/coverage"
)

// Technology is a mobile network generation: 2g, 3g, 4g or 5g.
type Technology string

// The technologies of the format, and their codes in the loading table.
var technologies = map[Technology]int16{"2g": 2, "3g": 3, "4g": 4, "5g": 5}

// Classes are the mobile coverage classes, lowest first (spec/mobile.md).
var Classes = []coverage.Class{coverage.Class10M, coverage.Class30M, coverage.Class100M}

// ClassOf is the rule of spec/mobile.md ("What counts as covered"): the
// highest class a speed reaches, decided on the file's exact decimal, so
// that 9.99 is not 10 Mbit/s; 0 below 10 Mbit/s. A square has a class when
// any of its rows reaches it: the squares keep the highest.
func ClassOf(s coverage.Speed) coverage.Class {
	for i := len(Classes) - 1; i >= 0; i-- {
		if s.AtLeast(int64(Classes[i])) {
			return Classes[i]
		}
	}
	return 0
}

// FiveG is the rule of 5G coverage: a 5g row with more than 0 Mbit/s
// outdoors.
func FiveG(tech Technology, outdoor coverage.Speed) bool {
	return tech == "5g" && outdoor.Valid && outdoor.Mant > 0
}

// Covers reports whether an operator's class outdoors counts it among the
// operators covering a square (the redundancy figure): at least the lowest
// class, 10 Mbit/s, the 2023 target's measure.
func Covers(outdoor coverage.Class) bool { return outdoor >= coverage.Class10M }

// classIndex numbers the classes for the squares' operator codes: 0 below
// 10 Mbit/s, then 1, 2, 3; -1 for no speed given.
func classIndex(c coverage.Class, given bool) int {
	if !given {
		return -1
	}
	for i, cl := range Classes {
		if c == cl {
			return i + 1
		}
	}
	return 0
}

// classAt is the class of an index: the inverse of classIndex.
func classAt(i int) coverage.Class {
	if i <= 0 {
		return 0
	}
	return Classes[i-1]
}

// OperatorOffer is what one operator offers in a square.
type OperatorOffer struct {
	Operator    int // 1-based index into the snapshot's operators
	Outdoor     coverage.Class
	Indoor      coverage.Class
	IndoorGiven bool
	FiveG       bool
}

// decodeOp unpacks a code of the squares' ops column
// (migrations/0051_mobile.sql; sql/build_squares.sql packs it): operator ×
// 1000 + fiveg × 100 + (indoor index + 1) × 10 + outdoor index.
func decodeOp(c int32) OperatorOffer {
	indoor := int(c/10%10) - 1
	return OperatorOffer{Operator: int(c / 1000), Outdoor: classAt(int(c % 10)), Indoor: classAt(indoor),
		IndoorGiven: indoor >= 0, FiveG: c/100%10 == 1}
}
