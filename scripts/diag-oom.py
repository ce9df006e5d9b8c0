#!/usr/bin/env python3
"""Out of memory is a system error (lib/lib.h enum diag_class): turn every
diag_err(...) call whose message starts "out of memory" into diag_sys(...).
The two names have the same length, so no line is re-wrapped.

usage: scripts/diag-oom.py [--check] [FILE...]
Without FILE: the C files of lib/ rules/ checks/ reports/ cli/.
--check: change nothing; list the calls and exit 1 if there are any.
Run it after merging a branch that adds such calls (issue 10)."""
import glob
import re
import sys


def calls(s):
    """(start, end of 'diag_err(', end of call) of every diag_err call."""
    for m in re.finditer(r'\bdiag_err\(', s):
        k, depth, instr = m.end(), 1, False
        while depth and k < len(s):
            c = s[k]
            if instr:
                if c == '\\':
                    k += 1
                elif c == '"':
                    instr = False
            elif c == '"':
                instr = True
            elif c == '(':
                depth += 1
            elif c == ')':
                depth -= 1
            k += 1
        yield m.start(), m.end(), k


def main(argv):
    check = '--check' in argv
    files = [a for a in argv if a != '--check']
    if not files:
        for d in ('lib', 'rules', 'checks', 'checks/*', 'reports', 'cli'):
            files += sorted(glob.glob(d + '/*.c'))
    total = 0
    for path in files:
        s = open(path).read()
        out, i, n = [], 0, 0
        for a, b, e in calls(s):
            lit = re.search(r'"((?:[^"\\]|\\.)*)"', s[b:e])
            if lit is None or not lit.group(1).startswith('out of memory'):
                continue
            n += 1
            if check:
                print('%s:%d: diag_err for out of memory (use diag_sys)'
                      % (path, s.count('\n', 0, a) + 1))
            out += [s[i:a], 'diag_sys(']
            i = b
        out.append(s[i:])
        if n and not check:
            open(path, 'w').write(''.join(out))
            print('%4d %s' % (n, path))
        total += n
    if check:
        return 1 if total else 0
    print('%4d total' % total)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
