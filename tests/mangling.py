"""Line-level damage for fuzz tests: what a bad copy, a truncated download or a
careless edit does to a text file. Shared by test_fuzz_parsers and test_minutes."""
from __future__ import annotations


def mangle_lines(text: str, ops: list) -> str:
    lines = text.split("\n")
    for op, a, b, junk in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, junk)
        elif op == "truncate":
            lines = lines[:i] + [lines[i][:b % (len(lines[i]) + 1)]]
        else:
            k = b % (len(lines[i]) + 1)
            lines[i] = lines[i][:k] + junk + lines[i][k:]
    return "\n".join(lines)
