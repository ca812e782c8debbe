//! The bundled documents print the same text on the same pages as the
//! snapshots in tests/snapshots/ (`pdftotext -layout`, one form feed per
//! page). A change that moves text on purpose updates the snapshot with
//! `SHIRYO_UPDATE_SNAPSHOTS=1 cargo test --test snapshots`, and the diff
//! shows what moved.

mod common;

use common::*;

fn compare(name: &str, args: &[&str]) {
    need("pdftotext");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut all = vec!["render", "--format", "pdf", "--out", out.to_str().unwrap()];
    let data;
    if let Some(i) = args.iter().position(|a| *a == "--data") {
        data = root().join(args[i + 1]);
        all.extend(["--data", data.to_str().unwrap()]);
        all.extend(
            args.iter()
                .enumerate()
                .filter(|(j, _)| *j != i && *j != i + 1)
                .map(|(_, a)| *a),
        );
    } else {
        all.extend(args);
    }
    let paths = shiryo_ok(dir.path(), &all);
    let text = run("pdftotext", &["-layout", paths[0].to_str().unwrap(), "-"]);
    let file = root().join("tests/snapshots").join(format!("{name}.txt"));
    if std::env::var_os("SHIRYO_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&file).unwrap();
    let pages = |t: &str| t.split('\u{c}').map(str::to_string).collect::<Vec<_>>();
    let (got, want) = (pages(&text), pages(&want));
    assert_eq!(got.len(), want.len(), "{name}: page count");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        if g != w {
            let line = g.lines().zip(w.lines()).position(|(a, b)| a != b).unwrap_or(0);
            panic!(
                "{name}: page {} differs from the snapshot at line {}:\n got: {:?}\nwant: {:?}",
                i + 1,
                line + 1,
                g.lines().nth(line),
                w.lines().nth(line)
            );
        }
    }
}

#[test]
fn dai5ki_r6() {
    compare("dai5ki-R6", &[]);
}

#[test]
fn dai5ki_r5() {
    compare("dai5ki-R5", &["--year", "2023"]);
}

#[test]
fn dai4ki_r2() {
    compare("dai4ki-R2", &["--data", "data/dai4ki.json"]);
}

#[test]
fn jigyo_keikaku_r2() {
    compare("jigyo-keikaku-R2", &["--data", "data/jigyo-keikaku-r2.json"]);
}
