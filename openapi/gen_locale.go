package openapi

import (
	"fmt"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
)

// Locales the generator knows.
const (
	// LocaleEnglish (the default) makes English names, departments and text.
	LocaleEnglish = "en"
	// LocaleKorean makes Hangul names, departments and text, 3 bytes a
	// syllable in UTF-8, so byte limits bite as they do for real Korean users.
	LocaleKorean = "ko"
)

// locale is the realistic data of one language. gofakeit has no Korean data,
// so the Korean lists are ncpmock's own: common surnames and given-name
// syllables (with their usual romanization, for login IDs and emails),
// departments, job titles and words.
type locale struct {
	name        string
	person      func(f *gofakeit.Faker) (first, last, romanFirst, romanLast string)
	depts       []string
	description func(f *gofakeit.Faker, dept string) string
	empNo       func(f *gofakeit.Faker) string
	phone       func(f *gofakeit.Faker) string
	countryCode string
	cities      []string
	// words and nameParts make longer text; nameSep joins name parts.
	words     func(f *gofakeit.Faker) string
	nameParts func(f *gofakeit.Faker) string
	nameSep   string
	// wide are characters of more than one byte to pad text to an exact size.
	wide []string
}

func lookupLocale(name string) (*locale, error) {
	switch name {
	case "", LocaleEnglish:
		return englishLocale(), nil
	case LocaleKorean:
		return koreanLocale(), nil
	}
	return nil, fmt.Errorf("locale %q: want %s or %s", name, LocaleEnglish, LocaleKorean)
}

func englishLocale() *locale {
	return &locale{
		name: LocaleEnglish,
		person: func(f *gofakeit.Faker) (string, string, string, string) {
			first, last := f.FirstName(), f.LastName()
			return first, last, romanize(first), romanize(last)
		},
		depts: []string{"Sales", "Engineering", "Finance", "Human Resources", "Marketing",
			"Legal", "Customer Support", "Operations", "Product", "Research and Development",
			"Quality Assurance", "Design", "Procurement", "Information Security",
			"Infrastructure", "Data Analytics", "Corporate Strategy", "Public Relations",
			"Training", "Facilities"},
		description: func(f *gofakeit.Faker, dept string) string {
			title := f.JobDescriptor() + " " + f.JobLevel() + " " + f.JobTitle()
			if f.IntN(2) == 0 {
				return title + ", " + dept
			}
			return title
		},
		empNo:       func(f *gofakeit.Faker) string { return f.Numerify("E-#####") },
		phone:       func(f *gofakeit.Faker) string { return f.Numerify("###-555-01##") },
		countryCode: "1",
		cities:      []string{"New York", "Seattle", "Austin", "Boston", "Denver", "Chicago", "Toronto", "London"},
		words:       func(f *gofakeit.Faker) string { return asciiWord(f) },
		nameParts: func(f *gofakeit.Faker) string {
			return enWideNames[f.IntN(len(enWideNames))]
		},
		nameSep: " ",
		wide:    []string{"é", "ö", "ñ", "ü", "å", "ç"},
	}
}

// enWideNames are real names with letters outside ASCII, for English text
// that must take more bytes than characters.
var enWideNames = []string{"Zoë", "Renée", "José", "Chloé", "André", "Björn", "Søren",
	"Müller", "Brontë", "Dvořák", "Łukasz", "Zürich", "Malmö", "Kraków", "Ångström",
	"Noël", "Inés", "Jürgen", "François", "Begoña", "Gödel", "Señor", "Anaïs", "Thérèse"}

func asciiWord(f *gofakeit.Faker) string {
	for {
		w := f.Word()
		if isASCII(w) && w != "" {
			return w
		}
	}
}

func koreanLocale() *locale {
	return &locale{
		name: LocaleKorean,
		person: func(f *gofakeit.Faker) (string, string, string, string) {
			s := koSurnames[f.IntN(len(koSurnames))]
			g1, g2 := koSyllables[f.IntN(len(koSyllables))], koSyllables[f.IntN(len(koSyllables))]
			return g1[0] + g2[0], s[0], g1[1] + g2[1], s[1]
		},
		depts: koDepts,
		description: func(f *gofakeit.Faker, dept string) string {
			title := koTitles[f.IntN(len(koTitles))]
			if f.IntN(2) == 0 {
				return dept + " " + title + " (" + koCities[f.IntN(len(koCities))] + ")"
			}
			return dept + " " + title
		},
		empNo:       func(f *gofakeit.Faker) string { return f.Numerify("20##-####") },
		phone:       func(f *gofakeit.Faker) string { return f.Numerify("010-####-####") },
		countryCode: "82",
		cities:      koCities,
		words:       func(f *gofakeit.Faker) string { return koWords[f.IntN(len(koWords))] },
		nameParts: func(f *gofakeit.Faker) string {
			return koSyllables[f.IntN(len(koSyllables))][0]
		},
		nameSep: "",
		wide:    []string{"가", "나", "다", "라", "마", "바", "사", "아", "자", "하"},
	}
}

// koSurnames are common Korean surnames with their usual romanization.
var koSurnames = [][2]string{{"김", "kim"}, {"이", "lee"}, {"박", "park"}, {"최", "choi"},
	{"정", "jung"}, {"강", "kang"}, {"조", "cho"}, {"윤", "yoon"}, {"장", "jang"},
	{"임", "lim"}, {"한", "han"}, {"오", "oh"}, {"서", "seo"}, {"신", "shin"},
	{"권", "kwon"}, {"황", "hwang"}, {"안", "ahn"}, {"송", "song"}, {"류", "ryu"},
	{"전", "jeon"}, {"홍", "hong"}, {"고", "ko"}, {"문", "moon"}, {"양", "yang"},
	{"손", "son"}, {"배", "bae"}, {"백", "baek"}, {"허", "heo"}, {"유", "yoo"},
	{"남", "nam"}, {"심", "shim"}, {"노", "noh"}, {"하", "ha"}, {"곽", "kwak"},
	{"성", "sung"}, {"차", "cha"}, {"주", "joo"}, {"우", "woo"}, {"구", "koo"}, {"민", "min"}}

// koSyllables are syllables common in Korean given names, romanized.
var koSyllables = [][2]string{{"민", "min"}, {"서", "seo"}, {"지", "ji"}, {"현", "hyun"},
	{"준", "jun"}, {"수", "su"}, {"영", "young"}, {"은", "eun"}, {"하", "ha"},
	{"우", "woo"}, {"진", "jin"}, {"호", "ho"}, {"윤", "yoon"}, {"성", "sung"},
	{"연", "yeon"}, {"유", "yu"}, {"재", "jae"}, {"정", "jung"}, {"동", "dong"},
	{"혜", "hye"}, {"경", "kyung"}, {"희", "hee"}, {"주", "joo"}, {"원", "won"},
	{"승", "seung"}, {"태", "tae"}, {"상", "sang"}, {"나", "na"}, {"예", "ye"},
	{"도", "do"}, {"채", "chae"}, {"소", "so"}, {"다", "da"}, {"시", "si"},
	{"건", "geon"}, {"한", "han"}, {"아", "a"}, {"미", "mi"}, {"선", "sun"}, {"빈", "bin"}}

var koDepts = []string{"영업팀", "개발팀", "재무팀", "인사팀", "마케팅팀", "법무팀",
	"고객지원팀", "운영팀", "기획팀", "연구개발팀", "품질관리팀", "디자인팀", "총무팀",
	"구매팀", "정보보안팀", "인프라팀", "데이터분석팀", "전략기획실", "홍보팀", "교육팀"}

var koTitles = []string{"사원", "주임", "대리", "과장", "차장", "부장", "팀장", "책임",
	"선임", "수석", "이사", "실장"}

var koCities = []string{"서울", "부산", "판교", "대전", "대구", "광주", "인천", "제주"}

var koWords = []string{"클라우드", "운영", "담당", "고객", "지원", "서비스", "개발", "보안",
	"관리", "데이터", "분석", "인프라", "계정", "사용자", "권한", "프로젝트", "기획", "품질",
	"검토", "업무", "협업", "본사", "지사", "신규", "입사", "정규직", "계약직", "교육",
	"승인", "요청", "결재", "일정", "회의", "보고서", "예산", "구매", "채용", "평가"}

// romanize keeps the ASCII letters of a name, lowercased, for email local parts.
func romanize(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if 'a' <= r && r <= 'z' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "user"
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// tagKeys are realistic tag names; tags beyond them are numbered.
var tagKeys = []string{"team", "costCenter", "location", "project", "role", "manager",
	"contract", "building", "floor", "shift", "onboarding", "vendor"}
