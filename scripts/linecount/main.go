// Command linecount reports the size of Go packages as their readers see it:
// the non-test lines of code (without blank lines and comments) per
// directory, and the longest functions.
//
//	go run ./scripts/linecount . ./v5 ./internal/engine
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

func main() {
	top := flag.Int("top", 3, "how many of the longest functions to list")
	flag.Parse()
	type fn struct {
		name  string
		lines int
	}
	var fns []fn
	total := 0
	for _, dir := range flag.Args() {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		n := 0
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			n += codeLines(token.NewFileSet(), file, src)
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, file, src, 0)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					name := fd.Name.Name
					if fd.Recv != nil && len(fd.Recv.List) > 0 {
						name = fmt.Sprintf("(%s).%s", typeName(fd.Recv.List[0].Type), name)
					}
					lines := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
					fns = append(fns, fn{fmt.Sprintf("%s %s", filepath.Join(dir, filepath.Base(file)), name), lines})
				}
			}
		}
		fmt.Printf("%-20s %5d non-test code lines\n", dir, n)
		total += n
	}
	fmt.Printf("%-20s %5d\n", "total", total)
	sort.Slice(fns, func(i, j int) bool { return fns[i].lines > fns[j].lines })
	for i := 0; i < *top && i < len(fns); i++ {
		fmt.Printf("longest: %4d lines  %s\n", fns[i].lines, fns[i].name)
	}
}

// codeLines counts the lines of f that hold code: a token other than a
// comment.
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
