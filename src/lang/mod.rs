//! The language shiryo speaks to its user: English, or Japanese for an
//! office whose computers are set to Japanese. A leaf: every stage writes
//! its messages through `tr!`.
//!
//! A message is written once, in English, with named places for what it
//! names (`"{file}: cannot read it: {error}"`); the catalogs in
//! `src/lang/ja/` give its Japanese form, which may put the places in
//! another order. A place whose name starts with `_` is English grammar
//! only (a plural `s`) and may be left out of a translation. A test checks
//! that every message in `src/` has its Japanese form and that both name
//! the same places.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language shiryo speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English (the default outside a Japanese locale).
    En,
    /// Japanese.
    Ja,
}

/// The language chosen for this run.
static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language every message of this run is written in.
///
/// ```
/// use shiryo::lang::{self, Lang};
/// lang::set(Lang::En);
/// assert_eq!(lang::current(), Lang::En);
/// ```
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are written in (English unless [`set`]).
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Ja,
        _ => Lang::En,
    }
}

/// The language asked for: `--lang` when given, else the user's: the
/// locale of `LC_ALL`, `LC_MESSAGES` or `LANG` on Linux and macOS, the
/// interface language on Windows.
pub fn detect(asked: Option<Lang>) -> Lang {
    asked.unwrap_or_else(|| {
        let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty());
        let locale = env.or_else(sys_locale::get_locale).unwrap_or_default();
        from_locale(&locale)
    })
}

/// The language of a locale name: `ja_JP.UTF-8`, `ja-JP`, `ja` are
/// Japanese; anything else English.
///
/// ```
/// use shiryo::lang::{from_locale, Lang};
/// assert_eq!(from_locale("ja_JP.UTF-8"), Lang::Ja);
/// assert_eq!(from_locale("ja-JP"), Lang::Ja);
/// assert_eq!(from_locale("en_US.UTF-8"), Lang::En);
/// assert_eq!(from_locale("C"), Lang::En);
/// ```
pub fn from_locale(locale: &str) -> Lang {
    let code = locale.split(['_', '-', '.', '@']).next().unwrap_or("");
    if code.eq_ignore_ascii_case("ja") {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// The catalogs: English message → Japanese, one file per part of shiryo.
pub const CATALOGS: &[(&str, &str)] = &[
    ("cli", include_str!("ja/cli.toml")),
    ("input", include_str!("ja/input.toml")),
    ("layout", include_str!("ja/layout.toml")),
    ("output", include_str!("ja/output.toml")),
    ("yearly", include_str!("ja/yearly.toml")),
];

/// Every Japanese form, by its English message.
static JA: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut all = HashMap::new();
    for (_, text) in CATALOGS {
        // The catalogs are checked by this module's tests; a broken one
        // would leave its messages in English, never stop a run.
        if let Ok(table) = toml::from_str::<HashMap<String, String>>(text) {
            all.extend(table);
        }
    }
    all
});

/// The Japanese forms of the command line's help texts (the arguments'
/// documentation), by their English text.
static HELP: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| toml::from_str(include_str!("ja/help.toml")).unwrap_or_default());

/// The Japanese form of a help text of the command line.
pub fn help_form(english: &str) -> Option<&'static str> {
    HELP.get(english).map(String::as_str)
}

/// Every help text the help catalog translates (for its test).
pub fn help_forms() -> impl Iterator<Item = &'static str> {
    HELP.keys().map(String::as_str)
}

/// A message's form in a language: the Japanese form when there is one,
/// else the English.
///
/// ```
/// use shiryo::lang::{form, Lang};
/// assert_eq!(form(Lang::En, "{file}: no such file"), "{file}: no such file");
/// ```
pub fn form(lang: Lang, english: &'static str) -> &'static str {
    match lang {
        Lang::En => english,
        Lang::Ja => JA.get(english).map(String::as_str).unwrap_or(english),
    }
}

/// Fills a message's places (`{name}`) with what they name; `{{` and `}}`
/// are braces.
///
/// ```
/// let file = "data.json";
/// assert_eq!(
///     shiryo::lang::fill("{file}: {n} problem{_s}", &[("file", &file), ("n", &2), ("_s", &"s")]),
///     "data.json: 2 problems"
/// );
/// ```
pub fn fill(form: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(form.len() + 16);
    let mut rest = form;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        match (tail.starts_with('{'), tail.find('}')) {
            (true, Some(end)) => {
                let name = &tail[1..end];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => {
                        use fmt::Write;
                        let _ = write!(out, "{value}");
                    }
                    None => out.push_str(&tail[..=end]),
                }
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A message in the run's language, its places filled:
/// `tr!("{file}: cannot read it: {error}", file = path.display(), error = e)`.
/// The English text is the message's key in the catalogs.
///
/// ```text
/// let n = 3;
/// assert_eq!(tr!("{n} file{_s} written", n = n, _s = "s"), "3 files written");
/// ```
macro_rules! tr {
    ($english:literal) => {
        $crate::lang::fill($crate::lang::form($crate::lang::current(), $english), &[])
    };
    ($english:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::lang::fill(
            $crate::lang::form($crate::lang::current(), $english),
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}
// The macro by path (`crate::lang::tr!`), for this crate only.
pub(crate) use tr;

/// The English plural ending for a count: `""` for one, else `"s"`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// An input/output error in the run's language: what happened, in words
/// the user's system would use, and the system's own text.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => tr!("no such file or folder"),
        K::PermissionDenied => tr!("permission denied"),
        K::AlreadyExists => tr!("it already exists"),
        K::StorageFull => tr!("the disk is full"),
        K::ReadOnlyFilesystem => tr!("the disk is read-only"),
        K::IsADirectory => tr!("it is a folder, not a file"),
        K::NotADirectory => tr!("a part of the path is a file, not a folder"),
        _ => return e.to_string(),
    };
    match current() {
        Lang::En => what,
        // The system's text too: on a Japanese Windows it is Japanese already.
        Lang::Ja => format!("{what} ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The places a message names (`{name}`), braces `{{ }}` aside.
    fn places(form: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = form;
        while let Some(i) = rest.find('{') {
            let tail = &rest[i..];
            if let Some(t) = tail.strip_prefix("{{") {
                rest = t;
                continue;
            }
            match tail.find('}') {
                Some(end) => {
                    out.insert(tail[1..end].to_string());
                    rest = &tail[end + 1..];
                }
                None => break,
            }
        }
        out
    }

    /// The English messages of `tr!` in the sources under `src/`.
    fn messages_in_sources() -> BTreeSet<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut found = BTreeSet::new();
        for f in files {
            // Code only: documentation shows the macro with examples.
            let text: String = std::fs::read_to_string(&f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| format!("{l}\n"))
                .collect();
            let mut rest = text.as_str();
            while let Some(i) = rest.find("tr!(") {
                // Not the end of another name (`include_str!(`), not the
                // text "tr!(" itself.
                let quoted = rest[..i].ends_with(|c: char| c == '"' || c == '_' || c.is_alphanumeric());
                rest = &rest[i + 4..];
                if quoted {
                    continue;
                }
                let body = rest.trim_start();
                let Some(lit) = body.strip_prefix('"') else { continue };
                // A string literal: up to the first unescaped quote.
                let mut value = String::new();
                let mut chars = lit.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => value.push('\n'),
                            Some('\n') => {
                                // A continued line: its leading spaces go.
                                let more: String = chars.clone().collect();
                                let trimmed = more.trim_start();
                                chars = lit[lit.len() - trimmed.len()..].chars();
                            }
                            Some(o) => value.push(o),
                            None => break,
                        },
                        c => value.push(c),
                    }
                }
                found.insert((value, f.display().to_string()));
            }
        }
        found
    }

    #[test]
    fn every_message_has_its_japanese_form_with_the_same_places() {
        let mut missing = Vec::new();
        let mut wrong = Vec::new();
        for (english, file) in messages_in_sources() {
            match JA.get(&english) {
                None => missing.push(format!("{file}: {english:?}")),
                Some(ja) => {
                    let en: BTreeSet<_> = places(&english).into_iter().filter(|p| !p.starts_with('_')).collect();
                    let jp = places(ja);
                    if en != jp {
                        wrong.push(format!("{english:?} names {en:?}, its Japanese form {jp:?}"));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "messages without a Japanese form:\n{}",
            missing.join("\n")
        );
        assert!(wrong.is_empty(), "places differ:\n{}", wrong.join("\n"));
    }

    #[test]
    fn every_catalog_entry_is_a_message_in_use_and_said_once() {
        let used: BTreeSet<String> = messages_in_sources().into_iter().map(|(m, _)| m).collect();
        let mut seen = BTreeSet::new();
        for (name, text) in CATALOGS {
            let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("ja/{name}.toml: {e}"));
            for (key, value) in table {
                assert!(value.is_str(), "ja/{name}.toml: {key:?} is not text");
                assert!(used.contains(&key), "ja/{name}.toml: {key:?} is no message in src/");
                assert!(seen.insert(key.clone()), "ja/{name}.toml: {key:?} is translated twice");
            }
        }
    }

    #[test]
    fn places_fill_in_any_order() {
        assert_eq!(fill("{b}の{a}", &[("a", &"値"), ("b", &"ファイル")]), "ファイルの値");
        assert_eq!(fill("{{a}} {a}", &[("a", &1)]), "{a} 1");
        assert_eq!(fill("{unknown}", &[]), "{unknown}");
    }
}
