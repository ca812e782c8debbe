#!/usr/bin/env python3
"""Packs the Windows zip: the same bytes for the same inputs (fixed dates,
fixed order, no host attributes). Called by dist/windows.sh.

    python3 dist/zip.py shiryo.exe OUT.zip
"""
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def crlf(path):
    """A text file with Windows line ends, for Notepad."""
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def main():
    exe, out = sys.argv[1:3]
    with open(exe, "rb") as f:
        exe_bytes = f.read()
    files = [
        ("shiryo/shiryo.exe", exe_bytes),
        ("shiryo/はじめにお読みください.txt", crlf("README.ja.md")),
        ("shiryo/README.md", crlf("README.md")),
        ("shiryo/data/dai5ki.json", crlf("data/dai5ki.json")),
        ("shiryo/licenses/BIZ-UDGothic-OFL.txt", crlf("fonts/OFL.txt")),
    ]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.create_system = 0
            info.external_attr = 0
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # UTF-8 names, so Windows shows 日本語 names
            z.writestr(info, data)
    os.replace(tmp, out)
    print(out)


if __name__ == "__main__":
    main()
