package condition

import "testing"

// TestKeyInterning checks that a key set before any policy named it is still
// found once a condition naming it is compiled, and that Delete and Clone
// keep the interned slots consistent. Key names are case-insensitive
// (reference_policies_elements_condition.html).
func TestKeyInterning(t *testing.T) {
	ctx := NewContext()
	ctx.Set("test:KeyInterningLate", "v1") // no policy names this key yet
	c, err := Compile("StringEquals", "test:keyinterninglate", []Literal{{Text: "v1"}}, CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, missing := c.Eval(ctx); !ok || missing {
		t.Fatalf("Eval after late interning = %v, %v; want true, false", ok, missing)
	}
	ctx.Set("TEST:KEYINTERNINGLATE", "v2") // overwrite, now indexed
	if ok, _ := c.Eval(ctx); ok {
		t.Errorf("Eval after overwrite matched the old value")
	}
	clone := ctx.Clone()
	ctx.Delete("test:keyinterninglate")
	if ok, missing := c.Eval(ctx); ok || !missing {
		t.Errorf("Eval after Delete = %v, %v; want false, true", ok, missing)
	}
	if v, ok := clone.Lookup("test:KeyInterningLate"); !ok || v.elems[0].text != "v2" {
		t.Errorf("clone lost the key: %v %v", v, ok)
	}
	if ctx.unindexed != 0 || clone.unindexed != 0 {
		t.Errorf("unindexed = %d, %d; want 0, 0", ctx.unindexed, clone.unindexed)
	}
}
