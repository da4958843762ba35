package formex

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	// Article 9, Article 9(2), Article 13(3)(b), Article 16, point (a), Articles 8 to 15, Articles 9 and 10
	articleRef = regexp.MustCompile(`\bArticles? (\d+[a-z]?)((?:\(\d+[a-z]?\))?(?:\([a-z]{1,4}\))*)(?:, point \(([a-z]{1,4})\))?((?:(?:, | and | or | to )\d+[a-z]?(?:\(\d+\))?)*)`)
	// paragraph 1 of Article 6, paragraph 2 (of the same article)
	paragraphRef = regexp.MustCompile(`\bparagraphs? (\d+[a-z]?)((?:(?:, | and | or | to )\d+[a-z]?)*)(?: of Article (\d+[a-z]?))?`)
	annexRef     = regexp.MustCompile(`\bAnnex ([IVXLC]+)\b`)
	listItem     = regexp.MustCompile(`(?:, | and | or | to )(\d+[a-z]?)(\(\d+\))?`)
	numberParen  = regexp.MustCompile(`\(([0-9a-z]+)\)`)
	// The words after a reference that make it one to another act.
	externalAfter = regexp.MustCompile(`^(?:\(\d+\))*(?:\([a-z]+\))*,?\s*(?:(?:first|second|third|fourth|fifth) subparagraph,?\s*)?(?:point \([a-z]+\)\s*)?(?:of|to|in) (?:Regulation|Directive|Decision|the Treaty|the TFEU|the TEU|the Charter|that Regulation|that Directive|those Regulations|Commission|Council)|^(?:\(\d+\))*\s*(?:TFEU|TEU)\b|^\s*thereof`)
)

// resolveReferences turns the cross-references in each provision's own text into references to
// the provisions of this act they name; the ones that name nothing in it become warnings.
func (p *parser) resolveReferences() {
	reg := p.doc.Regulation.ID
	seen := map[[2]string]bool{}
	add := func(from *Provision, target, text string) {
		to := p.closest(target)
		if to == "" {
			p.doc.Warnings = append(p.doc.Warnings, fmt.Sprintf("%s: %s refers to %q, which the act does not contain", from.File, from.ID, text))
			return
		}
		if to == from.ID || seen[[2]string{from.ID, to}] {
			return
		}
		seen[[2]string{from.ID, to}] = true
		p.doc.References = append(p.doc.References, Reference{From: from.ID, To: to, Text: text})
	}
	for i := range p.doc.Provisions {
		pr := &p.doc.Provisions[i]
		text := pr.own
		article := articleOf(pr.ID, reg)
		for _, m := range articleRef.FindAllStringSubmatchIndex(text, -1) {
			if externalAfter.MatchString(text[m[1]:]) {
				continue
			}
			words := text[m[0]:m[1]]
			num := text[m[2]:m[3]]
			target := reg + "/art-" + num
			if m[4] >= 0 {
				for j, part := range numberParen.FindAllStringSubmatch(text[m[4]:m[5]], -1) {
					if j == 0 && isDigit(part[1][0]) {
						target += "/par-" + part[1]
					} else {
						target += "/pt-" + part[1]
					}
				}
			}
			if m[6] >= 0 {
				target += "/pt-" + text[m[6]:m[7]]
			}
			add(pr, target, words)
			if m[8] >= 0 && m[9] > m[8] {
				rest := text[m[8]:m[9]]
				items := listItem.FindAllStringSubmatch(rest, -1)
				for k, it := range items {
					if strings.HasPrefix(rest[strings.Index(rest, it[0]):], " to ") && k == 0 {
						addRange(add, pr, reg, num, it[1], words)
						continue
					}
					t := reg + "/art-" + it[1]
					if it[2] != "" {
						t += "/par-" + strings.Trim(it[2], "()")
					}
					add(pr, t, words)
				}
			}
		}
		for _, m := range paragraphRef.FindAllStringSubmatch(text, -1) {
			art := article
			if m[3] != "" {
				art = reg + "/art-" + m[3]
			}
			if art == "" {
				continue
			}
			add(pr, art+"/par-"+m[1], m[0])
			for _, it := range listItem.FindAllStringSubmatch(m[2], -1) {
				add(pr, art+"/par-"+it[1], m[0])
			}
		}
		for _, m := range annexRef.FindAllStringSubmatch(text, -1) {
			add(pr, reg+"/anx-"+m[1], m[0])
		}
	}
}

// addRange adds Articles 8 to 15 as one reference to each article of the range.
func addRange(add func(*Provision, string, string), pr *Provision, reg, from, to, words string) {
	var a, b int
	if _, err := fmt.Sscanf(from, "%d", &a); err != nil {
		return
	}
	if _, err := fmt.Sscanf(to, "%d", &b); err != nil || b < a || b-a > 200 {
		return
	}
	for n := a + 1; n <= b; n++ {
		add(pr, fmt.Sprintf("%s/art-%d", reg, n), words)
	}
}

// closest returns id when the act has it, else the nearest enclosing provision that it has (a
// reference to Article 9(2)(a) where 9(2) has no points lands on 9(2)); "" when not even the
// article or annex exists.
func (p *parser) closest(id string) string {
	reg := p.doc.Regulation.ID
	for id != reg && strings.Count(id, "/") >= 1 {
		if _, ok := p.ids[id]; ok {
			return id
		}
		i := strings.LastIndex(id, "/")
		id = id[:i]
	}
	return ""
}

func articleOf(id, reg string) string {
	rest, ok := strings.CutPrefix(id, reg+"/")
	if !ok || !strings.HasPrefix(rest, "art-") {
		return ""
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		rest = rest[:i]
	}
	return reg + "/" + rest
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
