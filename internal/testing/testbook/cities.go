package testbook

import (
	"fmt"
	"time"

	"ufa/internal/spec"
)

// ValidFor returns Valid's workbook moved to another city and month
// ("2026-03"): the cover, the credit codes (registered in the city), the
// counties, the ID numbers (born in the city's first county: the same
// three persons every month, different persons in every city), the dates
// and the activity numbers all follow, so the workbook is valid and
// FileNameFor names it. Use it to build a year of several cities.
func ValidFor(city spec.City, month string) *Book {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		panic(fmt.Sprintf("testbook: month %q: %v", month, err))
	}
	day := func(d int) string { return m.AddDate(0, 0, d-1).Format("2006-01-02") }
	county := func(i int) spec.County { return city.Counties[i%len(city.Counties)] }
	repl := map[string]any{
		City:            city.Name,
		Month:           month,
		"2026-11-03":    m.AddDate(0, 1, 2).Format("2006-01-02"),
		"和平区":           county(0).Name,
		"210102":        county(1).Code,
		"沈河区":           county(2).Name,
		"2026-10-12":    day(12),
		"2026-10-20":    day(20),
		"2026-10-15":    day(15),
		"2026-10-22":    day(22),
		"2026-10-08":    day(8),
		"SY-2026-10-01": fmt.Sprintf("%s-%s-01", city.Code, month),
		"SY-2026-10-02": fmt.Sprintf("%s-%s-02", city.Code, month),
		Org(0):          CreditCode("51", city.Code, 1),
		Org(1):          CreditCode("52", county(1).Code, 2),
		Org(2):          CreditCode("53", city.Code, 3),
		Rep(0):          IDNumber(county(0).Code, "19800307", 123, true),
		Rep(1):          IDNumber(county(0).Code, "19751120", 246, false),
		Rep(2):          IDNumber(county(0).Code, "19900101", 357, true),
	}
	b := Valid()
	for _, s := range b.Sheets {
		for _, r := range s.Rows[1:] {
			for i, v := range r {
				if str, ok := v.(string); ok {
					if n, ok := repl[str]; ok {
						r[i] = n
					}
				}
			}
		}
	}
	return b
}

// FileNameFor is the file name a city gives its workbook of a month.
func FileNameFor(city spec.City, month string) string {
	return city.Name + "_" + month + ".xlsx"
}
