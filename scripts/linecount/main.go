// Command linecount reports the size of Go packages as their readers see
// it: per directory, the non-test lines of code (without blank lines and
// comments) and the types declared (aliases counted apart); then every
// function over the limits issue 17 sets (40 lines, a cyclomatic
// complexity of 15), or the longest ones with -top.
//
//	go run ./scripts/linecount ./internal/engine ./internal/engine/debugpage
//	go run ./scripts/linecount -top 10 . ./v5
//
// Cyclomatic complexity is counted as gocyclo counts it: 1, plus one for
// each if, for, range, case, comm clause, && and ||, over the function's
// body including its function literals.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// fn is one function as the report lists it.
type fn struct {
	name         string
	lines, cyclo int
}

func main() {
	top := flag.Int("top", 0, "list the longest N functions too")
	maxLines := flag.Int("max-lines", 40, "flag functions longer than this")
	maxCyclo := flag.Int("max-cyclo", 15, "flag functions more complex than this")
	flag.Parse()
	var fns []fn
	total, totalTypes := 0, 0
	for _, dir := range flag.Args() {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		check(err)
		lines, types, aliases := 0, 0, 0
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			src, err := os.ReadFile(file)
			check(err)
			fset := token.NewFileSet()
			lines += codeLines(fset, file, src)
			f, err := parser.ParseFile(fset, file, src, 0)
			check(err)
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					for _, s := range d.Specs {
						if ts, ok := s.(*ast.TypeSpec); ok {
							if ts.Assign.IsValid() {
								aliases++
							} else {
								types++
							}
						}
					}
				case *ast.FuncDecl:
					fns = append(fns, fn{
						name:  filepath.Join(dir, filepath.Base(file)) + " " + funcName(d),
						lines: fset.Position(d.End()).Line - fset.Position(d.Pos()).Line + 1,
						cyclo: cyclo(d),
					})
				}
			}
		}
		fmt.Printf("%-32s %5d code lines %4d types %4d aliases\n", dir, lines, types, aliases)
		total += lines
		totalTypes += types
	}
	fmt.Printf("%-32s %5d code lines %4d types\n", "total", total, totalTypes)
	over := 0
	for _, f := range fns {
		if f.lines > *maxLines || f.cyclo > *maxCyclo {
			fmt.Printf("over: %4d lines, cyclomatic %2d  %s\n", f.lines, f.cyclo, f.name)
			over++
		}
	}
	fmt.Printf("%d functions over %d lines or a cyclomatic complexity of %d\n", over, *maxLines, *maxCyclo)
	sort.Slice(fns, func(i, j int) bool { return fns[i].lines > fns[j].lines })
	for i := 0; i < *top && i < len(fns); i++ {
		fmt.Printf("longest: %4d lines, cyclomatic %2d  %s\n", fns[i].lines, fns[i].cyclo, fns[i].name)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// codeLines counts the lines of a file that hold code: a token other than
// a comment.
func codeLines(fset *token.FileSet, file string, src []byte) int {
	var s scanner.Scanner
	s.Init(fset.AddFile(file, -1, len(src)), src, nil, scanner.ScanComments)
	lines := map[int]bool{}
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return len(lines)
		}
		if tok == token.COMMENT || (tok == token.SEMICOLON && lit == "\n") {
			continue
		}
		lines[fset.Position(pos).Line] = true
	}
}

// cyclo is the cyclomatic complexity of a function (see the command's
// doc).
func cyclo(d *ast.FuncDecl) int {
	n := 1
	if d.Body == nil {
		return n
	}
	ast.Inspect(d.Body, func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt:
			n++
		case *ast.CaseClause:
			if x.List != nil { // not default
				n++
			}
		case *ast.CommClause:
			if x.Comm != nil {
				n++
			}
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				n++
			}
		}
		return true
	})
	return n
}

func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	return "(" + typeName(d.Recv.List[0].Type) + ")." + d.Name.Name
}

func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return "*" + typeName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return typeName(t.X)
	}
	return "?"
}
