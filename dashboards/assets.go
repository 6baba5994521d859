package dashboards

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"ufa/internal/spec"
)

// assetsFS holds the pages' own script and style and, once
// scripts/assets.sh has fetched them, ECharts and the Liaoning map. The
// directory always holds committed READMEs, so the package builds on a clean
// clone; rendering then fails with a message that says what to run.
//
//go:embed assets templates
var assetsFS embed.FS

// echartsVersion is the ECharts release scripts/assets.sh fetches; the footer
// names it.
const echartsVersion = "5.6.0"

// defaultMapSource names the built-in map under the map.
const defaultMapSource = "Apache ECharts 4.9.0 npm 包所附辽宁省地图（map/json/province/liaoning.json），仅为示意，不作为标准地图；" +
	"正式印发请用 --map 换用经审核的标准地图并注明审图号"

var errNoAssets = errors.New("图表脚本未打包进本程序：请在源代码目录运行 bash scripts/assets.sh（或 make build）从 npm 仓库获取 ECharts 和辽宁地图后重新编译")

// vendorFile reads a fetched third-party file.
func vendorFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(assetsFS, "assets/vendor/"+name)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("assets/vendor/%s: %w", name, errNoAssets)
	}
	return b, nil
}

// outputAssets returns the files written into DIR/assets, by name.
func outputAssets(m MapData) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, name := range []string{"dash.js", "dash.css"} {
		b, err := fs.ReadFile(assetsFS, "assets/"+name)
		if err != nil {
			return nil, fmt.Errorf("内置文件 assets/%s 缺失：%w", name, err)
		}
		out[name] = b
	}
	for _, name := range []string{"echarts.min.js", "ECHARTS-LICENSE.txt", "ECHARTS-NOTICE.txt"} {
		b, err := vendorFile(name)
		if err != nil {
			return nil, err
		}
		out[name] = b
	}
	js, err := mapScript(m.GeoJSON)
	if err != nil {
		return nil, err
	}
	out["map.js"] = js
	return out, nil
}

// DefaultMap returns the built-in map of Liaoning.
func DefaultMap() (MapData, error) {
	b, err := vendorFile("liaoning.json")
	if err != nil {
		return MapData{}, err
	}
	return MapData{GeoJSON: b, Source: defaultMapSource}, nil
}

// geoJSON is the part of a GeoJSON FeatureCollection the check needs.
type geoJSON struct {
	Type     string `json:"type"`
	Features []struct {
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties"`
		Geometry   *struct {
			Type string `json:"type"`
		} `json:"geometry"`
	} `json:"features"`
}

// MapFromFile checks a replacement map (an officially reviewed one, say)
// and returns it: a GeoJSON FeatureCollection (plain or ECharts' compressed
// form) with one feature per city, each named like the cities (沈阳市).
// source is shown under the map; empty means the file's name.
func MapFromFile(data []byte, name, source string) (MapData, error) {
	var g geoJSON
	if err := json.Unmarshal(data, &g); err != nil {
		return MapData{}, fmt.Errorf("地图文件 %s 不是有效的 GeoJSON：%v；请提供 GeoJSON 格式（FeatureCollection）的辽宁省地级市地图", name, err)
	}
	if g.Type != "FeatureCollection" || len(g.Features) == 0 {
		return MapData{}, fmt.Errorf("地图文件 %s 不是 GeoJSON FeatureCollection 或没有要素；请提供各市边界的 FeatureCollection", name)
	}
	names := map[string]bool{}
	for _, f := range g.Features {
		if n, ok := f.Properties["name"].(string); ok {
			names[n] = true
		}
	}
	var missing []string
	for _, c := range spec.Load().Cities {
		if !names[c.Name] {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return MapData{}, fmt.Errorf("地图文件 %s 缺少这些城市（要素的 properties.name 应为完整市名，如“沈阳市”）：%s",
			name, strings.Join(missing, "、"))
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return MapData{}, fmt.Errorf("地图文件 %s：%w", name, err)
	}
	if source == "" {
		source = "地图文件 " + name
	}
	return MapData{GeoJSON: buf.Bytes(), Source: source}, nil
}

// mapScript wraps the GeoJSON in a script that registers it with ECharts: a
// page opened from disk cannot fetch a .json file, but it can load a script.
// The JSON is re-encoded with HTML escaping, so even a hostile map file
// cannot close the script or inject markup.
func mapScript(geo []byte) ([]byte, error) {
	if len(geo) == 0 {
		return nil, errors.New("没有地图数据：请先运行 bash scripts/assets.sh 获取内置地图，或用 --map 指定地图文件")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(geo))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("地图数据不是有效的 JSON：%w", err)
	}
	var buf bytes.Buffer
	buf.WriteString("// 辽宁省地图，供 ECharts 使用（由 ufa dashboards 写出）。\n")
	buf.WriteString("echarts.registerMap(\"" + mapName + "\", ")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("地图数据无法写出：%w", err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	buf.WriteString(");\n")
	return buf.Bytes(), nil
}
