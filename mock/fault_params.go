package mock

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

var durationType = reflect.TypeFor[Duration]()

// setParams sets the fields of the struct f points to from params, by their
// JSON names. Values may be strings (from a header or a trigger login ID),
// numbers or booleans (from JSON or YAML); each is converted to the field's
// type or reported with the parameter's name.
func setParams(f Fault, params map[string]any) error {
	v := reflect.ValueOf(f).Elem()
	fields := paramFields(v.Type())
	for _, name := range sortedKeys(params) { // a stable order for error messages
		i, ok := fields[name]
		if !ok {
			return fmt.Errorf("unknown parameter %q; want %s", name, paramList(fields))
		}
		if err := setField(v.Field(i), params[name]); err != nil {
			return fmt.Errorf("parameter %s: %w", name, err)
		}
		// Where the zero value stands for a default, a zero given on
		// purpose would silently become that default.
		if hint := v.Type().Field(i).Tag.Get("zero"); hint != "" && v.Field(i).IsZero() {
			return fmt.Errorf("parameter %s: want more than 0; %s", name, hint)
		}
	}
	return nil
}

// paramFields maps the JSON names of a fault struct's exported fields to their index.
func paramFields(t reflect.Type) map[string]int {
	fields := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.IsExported() && name != "" && name != "-" {
			fields[name] = i
		}
	}
	return fields
}

func paramList(fields map[string]int) string {
	if len(fields) == 0 {
		return "none (this fault takes no parameters)"
	}
	return "one of " + strings.Join(sortedKeys(fields), ", ")
}

func setField(f reflect.Value, val any) error {
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if err := setField(p.Elem(), val); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	if f.Type() == durationType {
		s, ok := val.(string)
		if !ok {
			return fmt.Errorf("want a duration string such as \"250ms\", got %v", val)
		}
		d, err := parseDuration(s)
		if err != nil {
			return err
		}
		f.SetInt(int64(d))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		s, ok := val.(string)
		if !ok {
			return fmt.Errorf("want a string, got %v", val)
		}
		f.SetString(s)
	case reflect.Int:
		n, err := toInt(val)
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Float64:
		x, err := toFloat(val)
		if err != nil {
			return err
		}
		f.SetFloat(x)
	case reflect.Bool:
		b, err := toBool(val)
		if err != nil {
			return err
		}
		f.SetBool(b)
	default:
		return fmt.Errorf("unsupported parameter type %s", f.Type())
	}
	return nil
}

func toInt(val any) (int64, error) {
	switch v := val.(type) {
	case int:
		return int64(v), nil
	case int64:
		return v, nil
	case uint64:
		if v <= math.MaxInt32 {
			return int64(v), nil
		}
	case float64:
		if v == math.Trunc(v) && math.Abs(v) <= math.MaxInt32 {
			return int64(v), nil
		}
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
		if err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("want an integer, got %s", describe(val))
}

func toFloat(val any) (float64, error) {
	switch v := val.(type) {
	case int:
		return float64(v), nil
	case int64:
		return float64(v), nil
	case uint64:
		return float64(v), nil
	case float64:
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, nil
		}
	case string:
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
			return x, nil
		}
	}
	return 0, fmt.Errorf("want a number, got %s", describe(val))
}

func describe(val any) string {
	if s, ok := val.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v", val)
}

// sortedKeys returns the keys of m in order, so that work over a map is
// deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func toBool(val any) (bool, error) {
	switch v := val.(type) {
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, fmt.Errorf("want true or false, got %v", val)
}
