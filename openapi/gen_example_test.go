package openapi_test

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ncpmock/ncpmock/openapi"
)

func ExampleNewGenerator() {
	spec, err := openapi.Embedded()
	if err != nil {
		panic(err)
	}
	g, err := openapi.NewGenerator(spec, openapi.GenConfig{Seed: 1})
	if err != nil {
		panic(err)
	}
	cs, err := g.Valid(1)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(cs.Body))
	// Output:
	// {"params":[{"loginId":"grayson.ball1@example.net","userProfile":{"firstName":"Grayson","lastName":"Ball","empNo":"E-55616","phoneCountryCode":"1","phoneNo":"557-555-0198","deptName":"Human Resources"},"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false},"tags":{"building":"Building B","manager":"Cyrus Ingram"}}]}
}

func ExampleGenerator_Invalid() {
	spec, _ := openapi.Embedded()
	g, _ := openapi.NewGenerator(spec, openapi.GenConfig{Seed: 1})
	cs, err := g.Invalid("params[].userProfile.phoneNo/pattern", 3)
	if err != nil {
		panic(err)
	}
	fmt.Println(cs.Note)
	fmt.Printf("want %s %s\n", cs.Want.Field, cs.Want.Rule)

	v, _ := openapi.NewValidator(spec, openapi.ValidatorConfig{})
	_, err = v.Validate(context.Background(), "application/json", cs.Body)
	fmt.Println(err)
	// Output:
	// params[0].userProfile.phoneNo is "305 555 0141" (12 characters, 12 bytes)
	// want params[0].userProfile.phoneNo pattern
	// invalid request: params[0].userProfile.phoneNo: pattern: must match the pattern ^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$
}

func ExampleGenerator_Rules() {
	spec, _ := openapi.Embedded()
	g, _ := openapi.NewGenerator(spec, openapi.GenConfig{})
	for _, r := range g.Rules() {
		switch {
		case !strings.HasPrefix(r.Name, "params[].userProfile.phoneNo/"):
		case r.Isolatable:
			fmt.Printf("%s: breaks %s alone\n", r.Name, r.Rule)
		default:
			fmt.Printf("%s: not isolatable: %s\n", r.Name, r.Reason)
		}
	}
	// Output:
	// params[].userProfile.phoneNo/null: breaks type alone
	// params[].userProfile.phoneNo/type: breaks type alone
	// params[].userProfile.phoneNo/maxLength: not isolatable: pattern ^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$ admits no value of 14 characters, so breaking maxLength 13 also breaks pattern
	// params[].userProfile.phoneNo/maxBytes: not isolatable: pattern ^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$ admits no value of 201 bytes, so breaking x-max-bytes 200 also breaks pattern
	// params[].userProfile.phoneNo/pattern: breaks pattern alone
}

func ExampleGenerator_Boundary() {
	spec, _ := openapi.Embedded()
	g, _ := openapi.NewGenerator(spec, openapi.GenConfig{Seed: 1, Locale: openapi.LocaleKorean})
	cs, err := g.Boundary(openapi.BoundaryMaxBytes, 1)
	if err != nil {
		panic(err)
	}
	recs, _ := g.CSVRecords(cs)
	for i, col := range g.CSVHeader() {
		if v := recs[0][i]; len(v) > 0 {
			fmt.Printf("%s: %d bytes, %d characters\n", col, len(v), utf8.RuneCountInString(v))
		}
	}
	// Output:
	// loginId: 60 bytes, 60 characters
	// description: 300 bytes, 124 characters
	// firstName: 200 bytes, 68 characters
	// lastName: 200 bytes, 68 characters
	// email: 200 bytes, 200 characters
	// empNo: 200 bytes, 84 characters
	// phoneCountryCode: 4 bytes, 4 characters
	// phoneNo: 13 bytes, 13 characters
	// deptName: 200 bytes, 84 characters
	// consoleAccessAllowed: 4 bytes, 4 characters
	// apiAccessAllowed: 4 bytes, 4 characters
	// tags: 23 bytes, 17 characters
}

func ExampleGenerator_CSVRecords() {
	spec, _ := openapi.Embedded()
	g, _ := openapi.NewGenerator(spec, openapi.GenConfig{Seed: 4, Locale: openapi.LocaleKorean})
	cs, _ := g.Valid(2)
	recs, err := g.CSVRecords(cs)
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.Join(g.CSVHeader(), ","))
	for _, rec := range recs {
		fmt.Println(strings.Join(rec, ","))
	}
	// Output:
	// loginId,description,firstName,lastName,email,empNo,phoneCountryCode,phoneNo,deptName,consoleAccessAllowed,apiAccessAllowed,tags
	// sunyeon.ahn1@example.com,,선연,안,sunyeon.ahn@example.com,2012-9123,,010-8295-4241,홍보팀,true,false,
	// jidong.lim2@example.net,정보보안팀 팀장,지동,임,jidong.lim@example.net,2061-7717,82,010-8640-7981,정보보안팀,false,true,
}

func ExampleGenConfig_loginIDPrefix() {
	spec, _ := openapi.Embedded()
	g, _ := openapi.NewGenerator(spec, openapi.GenConfig{
		LoginIDPrefix: "ncpmock-run42-",
		LoginIDDomain: "qa.example.com",
	})
	cs, _ := g.Valid(3)
	fmt.Println(cs.LoginIDs)
	dup, _ := g.DuplicateLoginIDs(2)
	fmt.Println(dup.LoginIDs, dup.Note)
	// Output:
	// [ncpmock-run42-1@qa.example.com ncpmock-run42-2@qa.example.com ncpmock-run42-3@qa.example.com]
	// [ncpmock-run42-4@qa.example.com ncpmock-run42-4@qa.example.com] users 1 and 2 share the login ID ncpmock-run42-4@qa.example.com
}
