//! `credits start`, `credits stop`, `credits status`: a running timer for `log`.
//!
//! The timer is a file `.credits-timer` beside `credits.toml` (one JSON object: client, start,
//! description, tags), so it survives a reboot and is seen from any folder of the book. It is
//! written atomically (a temporary file renamed over it) under the book's writers' lock.
//! `stop` logs the time through the same validation as `credits log`: a clock range
//! `HH:MM-HH:MM` on the start date, or, when the timer ran past midnight, the whole duration
//! on the start date (a clock range may not cross midnight).

use super::write::{print_or_note, resolve_client, write_entry};
use super::{Context, Fail, append, known_client, os};
use crate::model::{Entry, Minutes, Verb};
use crate::render::hmm;
use crate::source::Span;
use crate::syntax::print::one_line;
use chrono::{NaiveDateTime, NaiveTime, Timelike};
use clap::Args;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The timer file's name, beside `credits.toml`.
pub const TIMER_FILE: &str = ".credits-timer";

/// `credits start --help`: clap's own layout, with the words `start` reads listed by hand.
const START_HELP: &str = "\
{about-with-newline}
{usage-heading} {usage}

Arguments:
  [CLIENT]          The client; left out: `--client`, `CREDITS_CLIENT`, `dirs` or the only one
  [DESCRIPTION]...  A description of the work, taken literally

{all-args}{after-help}";

/// Start a timer for a client; `credits stop` logs the time
///
/// The client is found as for `credits log`. One timer runs at a time per book.
///
/// Examples:
///
///   credits start acme "Plugin update"
///   credits start                         inside a folder listed in a client's `dirs`
///   credits start acme --at 09:15         it started a while ago
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    override_usage = "credits start [OPTIONS] [CLIENT] [DESCRIPTION]...",
    help_template = START_HELP
)]
pub struct StartArgs {
    /// `[CLIENT] [DESCRIPTION]...`, told apart as `log` does: hidden from the help, whose
    /// template lists the two.
    #[arg(value_name = "WORDS", hide = true)]
    pub words: Vec<String>,
    /// The client, when the words do not name one
    #[arg(long, value_name = "CLIENT", env = "CREDITS_CLIENT")]
    pub client: Option<String>,
    /// The start time, HH:MM [default: now]
    #[arg(long, value_name = "HH:MM", value_parser = parse_clock)]
    pub at: Option<NaiveTime>,
    /// A tag for the logged entry (repeat for more)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

/// Stop the running timer and log its time
///
/// Examples:
///
///   credits stop
///   credits stop --at 10:40       it stopped a while ago
///   credits stop --cancel         forget the timer, log nothing
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct StopArgs {
    /// The stop time, HH:MM [default: now]
    #[arg(long, value_name = "HH:MM", value_parser = parse_clock)]
    pub at: Option<NaiveTime>,
    /// Remove the timer without logging anything
    #[arg(long, conflicts_with = "at")]
    pub cancel: bool,
}

/// Show the running timer and how long it has run
///
/// Examples:
///
///   credits status
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct StatusArgs {}

/// What `.credits-timer` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    /// The client.
    pub client: String,
    /// When it started, local time, to the minute: `2026-01-06T09:15`.
    pub start: String,
    /// The description of the entry to log.
    pub description: String,
    /// Its tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

fn parse_clock(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| format!("`{s}` is not a time; write HH:MM"))
}

fn minute(t: NaiveTime) -> NaiveTime {
    t.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t)
}

fn timer_path(book_path: &Path) -> PathBuf {
    book_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(TIMER_FILE)
}

fn read_timer(path: &Path, ctx: &Context) -> Result<Option<Timer>, Fail> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            Fail::request(
                format!("`{}` is not a timer: {e}", path.display()),
                Some("remove it with `credits stop --cancel`".into()),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(os::fail("read", &os::shown(path, &ctx.cwd), &e)),
    }
}

/// Write the timer file at `path` atomically: a temporary file beside it, synced, renamed
/// over it. The temporary file is removed on every failure.
fn write_timer(path: &Path, timer: &Timer, ctx: &Context) -> Result<(), Fail> {
    use std::io::Write as _;
    let tmp = path.with_extension("tmp");
    let text = serde_json::to_string(timer).map_err(|e| Fail::request(e.to_string(), None))? + "\n";
    let shown_tmp = os::shown(&tmp, &ctx.cwd);
    let written = std::fs::File::create(&tmp)
        .map_err(|e| os::fail("create", &shown_tmp, &e))
        .and_then(|mut f| {
            f.write_all(text.as_bytes())
                .map_err(|e| os::fail("write", &shown_tmp, &e))?;
            f.sync_all().map_err(|e| os::fail("sync", &shown_tmp, &e))
        })
        .and_then(|()| {
            std::fs::rename(&tmp, path).map_err(|e| {
                os::fail(
                    &format!("rename {shown_tmp} to"),
                    &os::shown(path, &ctx.cwd),
                    &e,
                )
            })
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Remove the timer file at `path`.
fn remove_timer(path: &Path, ctx: &Context) -> Result<(), Fail> {
    std::fs::remove_file(path).map_err(|e| os::fail("remove", &os::shown(path, &ctx.cwd), &e))
}

const STAMP: &str = "%Y-%m-%dT%H:%M";

fn started(t: &Timer, path: &Path) -> Result<NaiveDateTime, Fail> {
    NaiveDateTime::parse_from_str(&t.start, STAMP).map_err(|_| {
        Fail::request(
            format!("`{}` has a bad start time `{}`", path.display(), t.start),
            Some("remove it with `credits stop --cancel`".into()),
        )
    })
}

fn running(t: &Timer) -> String {
    let mut s = format!("{}: running since {}", t.client, t.start.replace('T', " "));
    if !t.description.is_empty() {
        s = format!("{s} ({})", t.description);
    }
    s
}

/// Run `credits start`.
pub fn start(args: &StartArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let loaded = ctx.load()?;
    let path = timer_path(&book_path);
    if let Some(t) = read_timer(&path, ctx)? {
        return Err(Fail::request(
            format!("a timer is running already: {}", running(&t)),
            Some("stop it with `credits stop` (or `credits stop --cancel`)".into()),
        )
        .into());
    }
    let (client, words) = match args.words.split_first() {
        Some((first, rest)) if loaded.book.clients.contains_key(first) => (first.clone(), rest),
        _ => (
            resolve_client(args.client.as_deref(), ctx, &loaded)?,
            &args.words[..],
        ),
    };
    known_client(&loaded, &client)?;
    let timer = Timer {
        client,
        start: ctx
            .today
            .and_time(minute(args.at.unwrap_or(ctx.time)))
            .format(STAMP)
            .to_string(),
        description: one_line(&words.join(" ")),
        tags: args.tags.clone(),
    };
    write_timer(&path, &timer, ctx)?;
    print_or_note(
        ctx,
        &format!("{}\n", running(&timer)),
        "the timer was started; only printing it failed",
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Run `credits stop`.
pub fn stop(args: &StopArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let path = timer_path(&book_path);
    let Some(timer) = read_timer(&path, ctx)? else {
        return Err(Fail::request(
            "no timer is running",
            Some("start one with `credits start CLIENT`".into()),
        )
        .into());
    };
    if args.cancel {
        remove_timer(&path, ctx)?;
        print_or_note(
            ctx,
            &format!("cancelled: {}\n", running(&timer)),
            "the timer was cancelled; only printing it failed",
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let begun = started(&timer, &path)?;
    let end = ctx.today.and_time(minute(args.at.unwrap_or(ctx.time)));
    let minutes = (end - begun).num_minutes();
    if minutes <= 0 {
        return Err(Fail::request(
            format!(
                "the timer started at {} and stops at {}: nothing to log",
                begun.format("%Y-%m-%d %H:%M"),
                end.format("%Y-%m-%d %H:%M")
            ),
            Some("give the stop time with `--at HH:MM`, or `--cancel`".into()),
        )
        .into());
    }
    let verb = if end.date() == begun.date() {
        let clock = (begun.time(), end.time());
        Verb::Log {
            minutes: Minutes::from(minutes),
            clock: Some(clock),
        }
    } else {
        Verb::Log {
            minutes: Minutes::from(minutes),
            clock: None,
        }
    };
    let loaded = ctx.load()?;
    let entry = Entry {
        date: begun.date(),
        seq: 0,
        span: Span::default(),
        client_span: Span::default(),
        client: timer.client.as_str().into(),
        verb,
        tags: timer.tags.iter().map(CompactString::from).collect(),
        meta: Vec::new(),
        description: timer.description.clone(),
        canon: CompactString::default(),
    };
    let written = write_entry(ctx, &book_path, &loaded, &entry)?;
    if let Err(mut fail) = remove_timer(&path, ctx) {
        // The time is logged: a timer left behind would log it twice.
        if let Some(d) = fail.diagnostic.as_mut() {
            d.help = Some(format!(
                "the entry was written to {}: remove the timer file by hand, not with `credits stop`",
                written.journal
            ));
        }
        return Err(fail.into());
    }
    written.print(ctx)?;
    Ok(ExitCode::SUCCESS)
}

/// Run `credits status`.
pub fn status(_args: &StatusArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let path = timer_path(&book_path);
    let text = match read_timer(&path, ctx)? {
        None => "no timer is running\n".to_string(),
        Some(t) => {
            let now = ctx.today.and_time(minute(ctx.time));
            let ran = Minutes::from((now - started(&t, &path)?).num_minutes().max(0));
            format!("{}, for {}\n", running(&t), hmm(ran))
        }
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
