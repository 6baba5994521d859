package model

import (
	"fmt"
)

// MaxFindingsPerKind bounds the findings of one code on one sheet. A
// workbook whose 100,000 rows are all wrong the same way would otherwise
// give millions of findings: memory the clerk's PC may not have, and a
// report nobody reads. Past the bound, one closing finding says how many
// there are in all.
const MaxFindingsPerKind = 1000

type findingKind struct {
	sheet, code string
	sev         Severity
}

// List collects findings up to MaxFindingsPerKind per kind.
type List struct {
	list   []Finding
	counts map[findingKind]int
	order  []findingKind // kinds in the order first seen, for stable output
}

// Add lists f, or only counts it once its kind is full.
func (l *List) Add(f Finding) {
	k := findingKind{f.Sheet, f.Code, f.Severity}
	if l.counts == nil {
		l.counts = map[findingKind]int{}
	}
	n := l.counts[k] + 1
	l.counts[k] = n
	if n == 1 {
		l.order = append(l.order, k)
	}
	if n <= MaxFindingsPerKind {
		l.list = append(l.list, f)
	}
}

// Done returns the findings, with a closing finding for every kind that
// was cut short.
func (l *List) Done() []Finding {
	for _, k := range l.order {
		if n := l.counts[k]; n > MaxFindingsPerKind {
			l.list = append(l.list, Finding{Severity: k.sev, Code: k.code, Sheet: k.sheet, Omitted: n - MaxFindingsPerKind,
				Message: fmt.Sprintf("本表同类问题（%s）共 %d 处，只逐一列出了前 %d 处：请按这些问题的说明检查并改正整张表中的同类问题后重新校验",
					k.code, n, MaxFindingsPerKind)})
		}
	}
	return l.list
}

// Listed is the findings listed so far, in order; a rule may amend one it
// made (the slice shares the list's storage).
func (l *List) Listed() []Finding { return l.list }
