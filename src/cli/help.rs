//! The command line in the user's language: clap's help and usage errors
//! in Japanese when the run speaks Japanese. Help texts are written once, in
//! English, as the arguments' documentation; `src/lang/ja/help.toml` gives
//! their Japanese forms (a test checks that every one has its form).

use super::args::Cli;
use crate::lang::tr;
use crate::lang::{self, Lang};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command, CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::process::ExitCode;

/// The language `--lang` asks for, read before the rest of the command
/// line (the help must already be in it).
pub fn asked_lang(args: &[OsString]) -> Option<Lang> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => continue,
        };
        return match value.as_deref() {
            Some("ja") => Some(Lang::Ja),
            Some("en") => Some(Lang::En),
            _ => None,
        };
    }
    None
}

/// The command line's definition, in the run's language.
pub fn command() -> Command {
    let cmd = Cli::command();
    match lang::current() {
        Lang::En => cmd,
        Lang::Ja => japanese(cmd),
    }
}

/// Reads the command line; on wrong usage prints the error (or the help
/// asked for) and gives the exit code.
pub fn parse(args: Vec<OsString>) -> Result<Cli, ExitCode> {
    let result = command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    result.map_err(|e| {
        let code = if e.use_stderr() { 2 } else { 0 };
        match (lang::current(), e.kind()) {
            (Lang::Ja, k) if e.use_stderr() && k != ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                eprintln!("{}", japanese_error(&e));
            }
            _ => {
                let _ = e.print();
            }
        }
        ExitCode::from(code)
    })
}

/// The Japanese form of a help text, when the catalog has one.
fn form(english: &str) -> Option<&'static str> {
    lang::help_form(english.trim_end())
}

/// The command's help in Japanese, its subcommands' too.
fn japanese(mut cmd: Command) -> Command {
    cmd.build();
    localize(cmd)
}

/// One command's texts and headings in Japanese, then its subcommands'.
fn localize(cmd: Command) -> Command {
    let about = cmd.get_about().map(|s| s.to_string());
    let long_about = cmd.get_long_about().map(|s| s.to_string());
    let mut cmd = cmd
        .help_template("{before-help}{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("コマンド")
        .mut_args(japanese_arg);
    if let Some(ja) = about.as_deref().and_then(form) {
        cmd = cmd.about(ja);
    }
    if let Some(ja) = long_about.as_deref().and_then(form) {
        cmd = cmd.long_about(ja);
    }
    cmd.mut_subcommands(localize)
}

/// One argument's help in Japanese, with its default and possible values
/// said in Japanese too.
fn japanese_arg(arg: Arg) -> Arg {
    let help = arg.get_help().map(|s| s.to_string());
    let long = arg.get_long_help().map(|s| s.to_string());
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let mut extra = String::new();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        extra.push_str(&format!("［既定値: {}］", defaults.join(", ")));
    }
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        extra.push_str(&format!("［指定できる値: {}］", values.join(", ")));
    }
    let with_extra = |text: String| {
        if extra.is_empty() {
            text
        } else {
            format!("{text} {extra}")
        }
    };
    let heading = if arg.is_positional() {
        "引数"
    } else {
        "オプション"
    };
    let mut arg = arg
        .help_heading(heading)
        .hide_default_value(true)
        .hide_possible_values(true);
    if let Some(h) = help {
        arg = arg.help(with_extra(form(&h).map(str::to_string).unwrap_or(h)));
    }
    if let Some(h) = long {
        arg = arg.long_help(with_extra(form(&h).map(str::to_string).unwrap_or(h)));
    }
    arg
}

/// A usage error in Japanese: what was wrong, what would be right, and
/// where the help is.
fn japanese_error(e: &clap::Error) -> String {
    let text = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let what = match e.kind() {
        ErrorKind::UnknownArgument => tr!("there is no option {arg}", arg = arg),
        ErrorKind::InvalidSubcommand => tr!(
            "there is no command {command}",
            command = text(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue if value.is_empty() => tr!("{arg} needs a value", arg = arg),
        ErrorKind::InvalidValue => tr!(
            "{arg} cannot be {value}: one of {valid}",
            arg = arg,
            value = value,
            valid = text(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            tr!("{arg} cannot be {value}: {why}", arg = arg, value = value, why = why)
        }
        ErrorKind::MissingRequiredArgument => tr!("missing: {args}", args = arg),
        ErrorKind::MissingSubcommand => tr!("name a command"),
        ErrorKind::ArgumentConflict => tr!(
            "{arg} cannot be given together with {other}",
            arg = arg,
            other = text(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            tr!("{arg} has a wrong number of values", arg = arg)
        }
        _ => {
            // Kinds a user hardly meets: clap's own words.
            e.render().to_string().lines().next().unwrap_or_default().to_string()
        }
    };
    let mut out = tr!("error: {error}", error = what);
    for suggested in [text(ContextKind::SuggestedArg), text(ContextKind::SuggestedSubcommand)] {
        if !suggested.is_empty() {
            out.push_str(&format!(
                "\n\n  {}",
                tr!("did you mean {suggested}?", suggested = suggested)
            ));
        }
    }
    let usage = text(ContextKind::Usage);
    if !usage.is_empty() {
        out.push_str(&format!("\n\n{}", usage.replacen("Usage:", "使い方:", 1)));
    }
    out.push_str(&format!("\n\n{}", tr!("For more, run with --help.")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every help text of a command and its subcommands.
    fn texts(cmd: &Command, out: &mut Vec<String>) {
        out.extend(cmd.get_about().map(|s| s.to_string()));
        out.extend(cmd.get_long_about().map(|s| s.to_string()));
        for a in cmd.get_arguments() {
            out.extend(a.get_help().map(|s| s.to_string()));
            out.extend(a.get_long_help().map(|s| s.to_string()));
        }
        for s in cmd.get_subcommands() {
            texts(s, out);
        }
    }

    #[test]
    fn every_help_text_has_its_japanese_form_and_every_form_a_text() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut all = Vec::new();
        texts(&cmd, &mut all);
        let missing: Vec<_> = all.iter().filter(|t| form(t).is_none()).collect();
        assert!(
            missing.is_empty(),
            "help texts without a Japanese form in ja/help.toml: {missing:#?}"
        );
        for english in lang::help_forms() {
            assert!(
                all.iter().any(|t| t.trim_end() == english),
                "ja/help.toml: {english:?} is no help text"
            );
        }
    }

    #[test]
    fn lang_is_read_before_the_rest() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(asked_lang(&args(&["shiryo", "--lang", "ja", "render"])), Some(Lang::Ja));
        assert_eq!(asked_lang(&args(&["shiryo", "render", "--lang=en"])), Some(Lang::En));
        assert_eq!(asked_lang(&args(&["shiryo", "render"])), None);
    }
}
