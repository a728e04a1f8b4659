package jsonpos_test

import (
	"fmt"

	"github.com/iamkit/iamkit/internal/jsonpos"
)

func ExampleParse() {
	v, err := jsonpos.Parse([]byte(`{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	stmts, _ := v.Get("Statement")
	effect, _ := stmts.Value.Array[0].Get("Effect")
	fmt.Printf("%s %q at %v\n", effect.Value.Kind, effect.Value.Str, effect.Value.Pos)

	_, err = jsonpos.Parse([]byte(`{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow",}]
}`))
	fmt.Println(err)
	// Output:
	// string "Allow" at line 3, column 28
	// line 3, column 36: invalid character '}' looking for object key
}
