//! The Windows build, run under Wine: it renders the example, writes a
//! template, imports a filled one, archives and verifies, and what it
//! writes is byte-identical to the Linux build's.
//!
//! Runs when `SHIRYO_WINDOWS_EXE` names the cross-built `shiryo.exe`
//! (`.ci/run` builds it with `dist/windows.sh` and sets it); Wine is
//! Debian's `wine64`. Debian's Wine 8 lacks `bcryptprimitives.dll`, which
//! Rust's standard library calls for random bytes, so the test builds the
//! stand-in of `dist/wine/` with mingw-w64 and puts it beside the exe
//! (Windows 10 and later have the real one).

mod common;

use common::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Wine's 64-bit loader.
fn wine() -> PathBuf {
    for p in ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("this test needs Wine (apt-get install wine64); .ci/run installs it");
}

/// A copy of the exe in `dir`, with the bcryptprimitives stand-in beside it.
fn exe_in(dir: &Path, exe: &Path) -> PathBuf {
    let to = dir.join("shiryo.exe");
    std::fs::copy(exe, &to).unwrap();
    need("x86_64-w64-mingw32-gcc");
    let o = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-shared", "-O2", "-o"])
        .arg(dir.join("bcryptprimitives.dll"))
        .arg(root().join("dist/wine/bcryptprimitives.c"))
        .arg(root().join("dist/wine/bcryptprimitives.def"))
        .arg("-ladvapi32")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    to
}

/// Runs the Windows exe under Wine in `cwd`, in English.
fn run_windows(exe: &Path, cwd: &Path, prefix: &Path, args: &[&str]) -> Output {
    run_windows_in("C.UTF-8", exe, cwd, prefix, args)
}

/// Runs the Windows exe under Wine in `cwd` in the locale `lang`.
fn run_windows_in(lang: &str, exe: &Path, cwd: &Path, prefix: &Path, args: &[&str]) -> Output {
    Command::new(wine())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .arg(exe)
        .args(args)
        .current_dir(cwd)
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "bcryptprimitives=n")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

fn ok(o: Output, what: &str) -> String {
    assert!(
        o.status.success(),
        "{what} under Wine failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_windows_build_writes_what_the_linux_build_writes() {
    let Some(exe) = std::env::var_os("SHIRYO_WINDOWS_EXE").map(PathBuf::from) else {
        eprintln!("skipped: set SHIRYO_WINDOWS_EXE to the cross-built shiryo.exe (dist/windows.sh; .ci/run does)");
        return;
    };
    assert!(exe.is_file(), "SHIRYO_WINDOWS_EXE={} is not a file", exe.display());
    let dir = tempfile::tempdir().unwrap();
    let (win, lin, prefix) = (
        dir.path().join("win"),
        dir.path().join("lin"),
        dir.path().join("prefix"),
    );
    for d in [&win, &lin, &prefix] {
        std::fs::create_dir_all(d.join("data")).unwrap();
    }
    let exe = exe_in(&win, &exe);
    for d in [&win, &lin] {
        std::fs::copy(root().join("data/dai5ki.json"), d.join("data/dai5ki.json")).unwrap();
    }
    // Render the example.
    ok(run_windows(&exe, &win, &prefix, &["render"]), "render");
    shiryo_ok(&lin, &["render"]);
    for f in ["out/dai5ki-R6.pdf", "out/dai5ki-R6.xlsx"] {
        assert_eq!(
            std::fs::read(win.join(f)).unwrap(),
            std::fs::read(lin.join(f)).unwrap(),
            "{f}"
        );
    }
    // A department's template, with the year as the office writes it.
    ok(
        run_windows(
            &exe,
            &win,
            &prefix,
            &["template", "--year", "令和７年度", "--only", "交通課"],
        ),
        "template",
    );
    shiryo_ok(&lin, &["template", "--year", "2025", "--only", "交通課"]);
    let t = "out/templates/dai5ki-R7-交通課.xlsx";
    assert_eq!(
        std::fs::read(win.join(t)).unwrap(),
        std::fs::read(lin.join(t)).unwrap(),
        "{t}"
    );
    // Import a filled one (filled with openpyxl), through a wildcard as a
    // Windows shell passes it.
    need("python3");
    std::fs::create_dir_all(win.join("returned")).unwrap();
    let spec = json!({
        "headers": {"value": "R７", "note": "R７\n速報値", "actions": "令和７年度の取組状況", "outlook": "令和８年度に向けた"},
        "rows": [{"item": "はなバス", "value": 1350000, "note": "※速報値", "actions": "ダイヤを改正した。"}]
    });
    let filled = win.join("returned/kotsu.xlsx");
    fill_template(&win.join(t), &filled, &spec);
    std::fs::copy(&filled, lin.join("kotsu.xlsx")).unwrap();
    let changes = ok(
        run_windows(&exe, &win, &prefix, &["import", "returned\\*.xlsx"]),
        "import",
    );
    assert!(
        change_lines(&changes)
            .iter()
            .any(|l| l == "交通課/はなバスの輸送人員（年間） R7 value: blank → 1,350,000人 ※速報値"),
        "{changes}"
    );
    shiryo_ok(&lin, &["import", "kotsu.xlsx"]);
    assert_eq!(
        std::fs::read(win.join("data/dai5ki.json")).unwrap(),
        std::fs::read(lin.join("data/dai5ki.json")).unwrap(),
        "the imported store"
    );
    // Archive and verify.
    ok(
        run_windows(&exe, &win, &prefix, &["archive", "--year", "R7"]),
        "archive",
    );
    let verified = ok(run_windows(&exe, &win, &prefix, &["verify", "archive"]), "verify");
    assert!(verified.contains("intact"), "{verified}");
    shiryo_ok(&lin, &["archive", "--year", "2025"]);
    let pdf = "archive/R7/dai5ki-R7.pdf";
    assert_eq!(
        std::fs::read(win.join(pdf)).unwrap(),
        std::fs::read(lin.join(pdf)).unwrap(),
        "{pdf}"
    );
    // In Japanese on a Japanese system.
    let o = run_windows_in(
        "ja_JP.UTF-8",
        &exe,
        &win,
        &prefix,
        &["render", "--data", "missing.json"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("エラー: missing.json: "), "{err}");
}
