package metrics

import (
	"strings"
	"testing"
)

// Boundaries of the scheme checks that mutation testing showed no test
// pinned down (issue 12): a weight of exactly 0 is not positive, an item
// without an indicator is named as such, and a target of exactly 0 is
// refused while a tiny positive one is taken.
func TestSchemeBoundaries(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"zero weight", "indicators:\n  - {indicator: work_coverage, weight: 100, target: 1}\n  - {indicator: on_time, weight: 0, target: 1}\n", "权重为 0，应为正数"},
		{"no indicator", "indicators:\n  - {weight: 100, target: 1}\n", "第 1 项缺少指标编号 indicator"},
		{"missing weight", "indicators:\n  - {indicator: work_coverage, target: 1}\n", "缺少权重 weight"},
		{"zero target", "indicators:\n  - {indicator: work_coverage, weight: 100, target: 0}\n", "目标值为 0，应为正数"},
	} {
		_, err := ParseScheme([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a message with %q", tc.name, err, tc.want)
		}
	}
	s, err := ParseScheme([]byte("indicators:\n  - {indicator: work_coverage, weight: 99.5, target: 0.001}\n  - {indicator: on_time, weight: 0.5, target: 1}\n"))
	if err != nil {
		t.Fatalf("small positive weight and target refused: %v", err)
	}
	if len(s.Items) != 2 || s.Items[0].Weight != 99.5 || s.Items[0].Target != 0.001 || s.Items[1].Weight != 0.5 {
		t.Errorf("items %+v", s.Items)
	}
}
