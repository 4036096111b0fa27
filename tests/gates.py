#!/usr/bin/env python3
"""The house rules of src/, checked on every `make test` (issue 19).

Each gate counts offences per file. tests/gates-baseline.txt holds the
counts the code had when a gate came in; a gate fails when a count
differs from its baseline: more is a regression, fewer means the
baseline must be lowered in the same commit (a ratchet: what was
cleaned up stays clean). A file not in the baseline is allowed none.

Gates:
  sql-in-pages     SQL text or db_* calls in src/page-*.c (stores only)
  tags-in-pages    string literals holding HTML/SVG tags in src/page-*.c
                   (templates and svg.c only)
  file-lines       a src/*.c file over 1,200 lines
  function-lines   a function over 150 lines (parsers are listed in the
                   baseline by name with their length)
  exports          an exported function not declared under its own
                   file's section of capacita.h or web.h (route
                   handlers: by src/routes.def, in any file)
  core-purity      a core file (CORE_SRC in the Makefile) that includes
                   web.h, Kore or libpq, or calls db_*

Prints one line per offence, then "N passed, N failed" (one per gate).
Run: python3 tests/gates.py [--list] (from the top of the checkout).
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
BASELINE = os.path.join(ROOT, "tests", "gates-baseline.txt")

FILE_MAX = 1200
FUNC_MAX = 150

SQL_WORDS = re.compile(
    r'"[^"\n]*\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|'
    r'FROM\s+\w+|WHERE|RETURNING|BEGIN|COMMIT|ROLLBACK|ON\s+CONFLICT)\b')
DB_CALL = re.compile(
    r'\bdb_(query|queryv|exec|begin|begin_nowait|commit|rollback|value|'
    r'rows|isnull|clear|exec_script)\s*\(')
TAG = re.compile(r'"[^"\n]*<[a-zA-Z/!][^"\n]*"')
FUNC_START = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\(')
STATIC_TYPE = re.compile(r'^(static|extern)\b')
INCLUDE_BAD = re.compile(r'#\s*include\s*[<"](web\.h|kore/|libpq|'
                         r'postgresql/)')


def strip_comments(text):
    """Blank out /* */ and // comments, keeping line numbers."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            q = c
            j = i + 1
            while j < n and text[j] != q:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def sources():
    return sorted(f for f in os.listdir(SRC) if f.endswith(".c"))


def read(name):
    with open(os.path.join(SRC, name), encoding="utf-8") as fp:
        return fp.read()


def functions(text):
    """(name, first line, length, static) of each KNF function."""
    lines = text.split("\n")
    res = []
    i = 0
    while i < len(lines):
        m = FUNC_START.match(lines[i])
        if m and i > 0 and lines[i - 1].strip() and \
                not lines[i - 1].startswith(("#", " ", "\t", "}")) and \
                not lines[i].rstrip().endswith(";"):
            j = i
            while j < len(lines) and lines[j] != "{":
                if lines[j].rstrip().endswith(";"):
                    break
                j += 1
            if j < len(lines) and lines[j] == "{":
                k = j + 1
                while k < len(lines) and lines[k] != "}":
                    k += 1
                static = bool(STATIC_TYPE.match(lines[i - 1]))
                res.append((m.group(1), i + 1, k - j + 1, static))
                i = k
        i += 1
    return res


def core_files():
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as fp:
        mk = fp.read()
    m = re.search(r"^CORE_SRC\s*=((?:.*\\\n)*.*)$", mk, re.M)
    return set(re.findall(r"[\w-]+\.c", m.group(1))) if m else set()


def header_sections():
    """Map function name -> set of files named by its section comment."""
    decl = {}
    for h in ("capacita.h", "web.h"):
        path = os.path.join(SRC, h)
        if not os.path.exists(path):
            continue
        files = set()
        with open(path, encoding="utf-8") as fp:
            for line in fp:
                m = re.match(r"\s*(/\*| \*)\s*([\w-]+\.c)[:;,]", line)
                if m:
                    files = set(re.findall(r"\b([\w-]+\.c):", line))
                    continue
                if line.startswith((" *", "/*")):
                    continue
                for name in re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", line):
                    if name in ("sizeof", "__attribute__", "__format__",
                                "__printf__", "__nonnull__"):
                        continue
                    decl.setdefault(name, set()).update(files)
                    break
    # Route handlers are declared by src/routes.def (obj/routes.h), in
    # whichever page file defines them.
    path = os.path.join(SRC, "routes.def")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fp:
            for line in fp:
                f = line.split()
                if len(f) == 4 and not line[0].isspace() and \
                        not line.startswith("#"):
                    decl.setdefault(f[1], set())
    return decl


def gate_counts():
    counts = {g: {} for g in ("sql-in-pages", "tags-in-pages", "file-lines",
                              "function-lines", "exports", "core-purity")}
    detail = []
    core = core_files()
    decl = header_sections()
    for f in sources():
        raw = read(f)
        text = strip_comments(raw)
        lines = text.split("\n")
        if f.startswith("page-"):
            n = 0
            for no, l in enumerate(lines, 1):
                if SQL_WORDS.search(l) or DB_CALL.search(l):
                    n += 1
                    detail.append(("sql-in-pages", f"{f}:{no}: "
                                   f"{l.strip()[:70]}"))
            counts["sql-in-pages"][f] = n
            n = 0
            for no, l in enumerate(lines, 1):
                if TAG.search(l):
                    n += 1
                    detail.append(("tags-in-pages", f"{f}:{no}: "
                                   f"{l.strip()[:70]}"))
            counts["tags-in-pages"][f] = n
        nl = raw.count("\n")
        counts["file-lines"][f] = nl if nl > FILE_MAX else 0
        if nl > FILE_MAX:
            detail.append(("file-lines", f"{f}: {nl} lines"))
        for name, line, length, static in functions(text):
            if length > FUNC_MAX:
                key = f"{f}:{name}"
                counts["function-lines"][key] = length
                detail.append(("function-lines",
                               f"{f}:{line}: {name} is {length} lines"))
            if not static and name != "main" and \
                    not name.startswith("kore_"):
                where = decl.get(name)
                ok = where is not None and (f in where or not where)
                if not ok:
                    counts["exports"][f] = counts["exports"].get(f, 0) + 1
                    detail.append(("exports", f"{f}:{line}: {name} "
                                   + ("not declared" if where is None else
                                      "declared under " +
                                      ", ".join(sorted(where)))))
        if f in core:
            n = 0
            for no, l in enumerate(raw.split("\n"), 1):
                if INCLUDE_BAD.search(l) or DB_CALL.search(lines[no - 1]):
                    n += 1
                    detail.append(("core-purity", f"{f}:{no}: {l.strip()}"))
            counts["core-purity"][f] = n
    return counts, detail


def load_baseline():
    base = {}
    if not os.path.exists(BASELINE):
        return base
    with open(BASELINE, encoding="utf-8") as fp:
        for no, line in enumerate(fp, 1):
            line = line.split("#")[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3 or not parts[2].isdigit():
                sys.exit(f"{BASELINE}:{no}: expected 'gate file count'")
            base.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return base


def main():
    counts, detail = gate_counts()
    if "--list" in sys.argv:
        for g, d in detail:
            print(f"{g}: {d}")
        return 0
    if "--baseline" in sys.argv:
        for g in counts:
            for k, v in sorted(counts[g].items()):
                if v:
                    print(f"{g} {k} {v}")
        return 0
    base = load_baseline()
    passed = failed = 0
    for g in counts:
        bad = []
        want = base.get(g, {})
        for k in sorted(set(counts[g]) | set(want)):
            have = counts[g].get(k, 0)
            allowed = want.get(k, 0)
            if have > allowed:
                bad.append(f"  {k}: {have} (baseline {allowed}): "
                           "a regression")
            elif have < allowed:
                bad.append(f"  {k}: {have} (baseline {allowed}): lower "
                           "tests/gates-baseline.txt")
        total = sum(counts[g].values())
        if bad:
            failed += 1
            print(f"gate {g}: FAILED (now {total})")
            print("\n".join(bad))
            for dg, d in detail:
                if dg == g:
                    print(f"    {d}")
        else:
            passed += 1
            print(f"gate {g}: ok (now {total}, "
                  f"{sum(want.values())} in the baseline)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
