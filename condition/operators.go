package condition

import (
	"errors"
	"strconv"
)

// Sentinel errors wrapped by every error [Compile] returns, for errors.Is.
var (
	// ErrUnknownOperator: the operator is not one AWS defines, or is used
	// in a way AWS forbids (Null with IfExists or a set qualifier).
	ErrUnknownOperator = errors.New("condition: unknown operator")
	// ErrInvalidValue: a value cannot be read as the operator's type, or a
	// pattern or policy variable is malformed.
	ErrInvalidValue = errors.New("condition: invalid value")
	// ErrInvalidKey: the condition key is not a valid key name.
	ErrInvalidKey = errors.New("condition: invalid key")
)

// Error is the error [Compile], [CompilePattern] and [CompileARNPattern]
// return. It unwraps to one of [ErrUnknownOperator], [ErrInvalidValue] or
// [ErrInvalidKey].
type Error struct {
	Operator string // the operator as written, or "" for pattern errors
	Key      string // the condition key, for ErrInvalidKey
	Value    string // the offending value, when HasValue
	HasValue bool   // whether Value names the offending value (it may be "")
	Reason   string // what is wrong
	Err      error  // the sentinel
}

// Error returns a message such as
// `condition: StringLike: "${aws:username": unterminated policy variable`.
func (e *Error) Error() string {
	msg := "condition: "
	if e.Operator != "" {
		msg += e.Operator + ": "
	}
	switch {
	case e.Err == ErrInvalidKey:
		msg += "key " + strconv.Quote(e.Key) + ": "
	case e.HasValue:
		msg += strconv.Quote(e.Value) + ": "
	}
	return msg + e.Reason
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// baseOp is an operator without its negation, qualifier or IfExists.
type baseOp uint8

const (
	opStringEquals baseOp = iota + 1
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArn
	opNull
)

// operatorInfo says what an operator name means: its positive comparison and
// whether the operator negates it.
type operatorInfo struct {
	op      baseOp
	negated bool
}

// operators are the condition operators of
// reference_policies_elements_condition_operators.html, by their
// case-sensitive names.
var operators = map[string]operatorInfo{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinaryEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	// AWS documents ArnEquals and ArnLike identically: per-part matching
	// with '*' and '?' wildcards.
	"ArnEquals":    {opArn, false},
	"ArnLike":      {opArn, false},
	"ArnNotEquals": {opArn, true},
	"ArnNotLike":   {opArn, true},
	"Null":         {opNull, false},
}

// qualifier is a condition's set operator prefix.
type qualifier uint8

const (
	qualNone   qualifier = iota
	qualForAll           // ForAllValues:
	qualForAny           // ForAnyValue:
)
