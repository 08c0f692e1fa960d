//! `credits start`, `credits stop`, `credits cancel`, `credits status`: a running timer for
//! `log`. `start` while a timer runs stops that one first (its time logged); `--at` is now or
//! earlier, never later.
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
/// The client is found as for `credits log`. One timer runs at a time per book: starting
/// one while another runs logs the running one up to the new start, then switches.
/// `--at` may not be later than now.
///
/// Examples:
///
///   credits start acme "Plugin update"
///   credits start                         inside a folder listed in a client's `dirs`
///   credits start acme --at 09:15         it started a while ago
///   credits start globex "Call"           acme's time is logged, globex's timer starts
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

/// Drop the running timer without logging anything
///
/// The same as `credits stop --cancel`.
///
/// Examples:
///
///   credits start acme "Call"
///   credits cancel                the call never happened: nothing is logged
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CancelArgs {}

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
    let at = not_later("start", args.at, ctx)?;
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let loaded = ctx.load()?;
    let path = timer_path(&book_path);
    let (client, words) = match args.words.split_first() {
        Some((first, rest)) if loaded.book.clients.contains_key(first) => (first.clone(), rest),
        first => match resolve_client(args.client.as_deref(), ctx, &loaded) {
            Ok(client) => (client, &args.words[..]),
            // A first word close to a client id was meant as one.
            Err(fail) => match first {
                Some((word, _))
                    if crate::suggest::nearest(
                        word,
                        loaded.book.clients.keys().map(String::as_str),
                    )
                    .is_some() =>
                {
                    return Err(known_client(&loaded, word).err().unwrap_or(fail).into());
                }
                _ => return Err(fail.into()),
            },
        },
    };
    known_client(&loaded, &client)?;
    let timer = Timer {
        client,
        start: at.format(STAMP).to_string(),
        description: one_line(&words.join(" ")),
        tags: args.tags.clone(),
    };
    // A timer running already is stopped first, its time logged, at the new one's start.
    let mut out = String::new();
    if let Some(old) = read_timer(&path, ctx)? {
        let begun = started(&old, &path)?;
        if at < begun {
            return Err(Fail::request(
                format!(
                    "a timer is running since {}, later than the new start {}: nothing was changed",
                    begun.format("%Y-%m-%d %H:%M"),
                    at.format("%Y-%m-%d %H:%M")
                ),
                Some("start the new timer at its start time or later with `--at HH:MM`, or `credits stop` the running one first".into()),
            )
            .into());
        }
        if at == begun {
            remove_timer(&path, ctx)?;
            out = format!("dropped: {} (no time to log)\n", running(&old));
        } else {
            let written = log_timer(&old, begun, at, ctx, &book_path, &loaded, &path)?;
            out.push_str(&written.out);
        }
    }
    write_timer(&path, &timer, ctx)?;
    out.push_str(&running(&timer));
    out.push('\n');
    print_or_note(ctx, &out, "the timer was started; only printing it failed")?;
    Ok(ExitCode::SUCCESS)
}

/// `--at` for `what` (`start`, `stop`) as a date and time today, or now; refused when it is
/// later than now.
fn not_later(what: &str, at: Option<NaiveTime>, ctx: &Context) -> Result<NaiveDateTime, Fail> {
    let now = ctx.today.and_time(minute(ctx.time));
    let Some(at) = at.map(|t| ctx.today.and_time(minute(t))) else {
        return Ok(now);
    };
    if at > now {
        return Err(Fail::request(
            format!(
                "`--at {}` is later than now ({}): a timer cannot {what} in the future",
                at.format("%H:%M"),
                now.format("%H:%M")
            ),
            Some(format!(
                "leave out `--at` to {what} now, or give a time up to {}",
                now.format("%H:%M")
            )),
        ));
    }
    Ok(at)
}

/// Log the time of `timer` (at `timer_file`) from `begun` to `end` through the same
/// validation as `credits log`, then remove the timer. A timer that cannot be removed after
/// its time was logged is an error that says the entry was written.
fn log_timer(
    timer: &Timer,
    begun: NaiveDateTime,
    end: NaiveDateTime,
    ctx: &Context,
    book_path: &Path,
    loaded: &crate::load::Loaded,
    timer_file: &Path,
) -> Result<super::write::Written, anyhow::Error> {
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
    // A clock range on the start date; a timer that ran past midnight logs its duration.
    let clock = (end.date() == begun.date()).then(|| (begun.time(), end.time()));
    let verb = Verb::Log {
        minutes: Minutes::from(minutes),
        clock,
    };
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
        canon: crate::model::Canon::EMPTY,
    };
    let written = write_entry(ctx, book_path, loaded, &entry)?;
    if let Err(mut fail) = remove_timer(timer_file, ctx) {
        // The time is logged: a timer left behind would log it twice.
        if let Some(d) = fail.diagnostic.as_mut() {
            d.help = Some(format!(
                "the entry was written to {}: remove the timer file by hand, not with `credits stop`",
                written.journal
            ));
        }
        return Err(fail.into());
    }
    Ok(written)
}

/// Run `credits stop`.
pub fn stop(args: &StopArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.cancel {
        return cancel(&CancelArgs {}, ctx);
    }
    let end = not_later("stop", args.at, ctx)?;
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let path = timer_path(&book_path);
    let timer = running_timer(&path, ctx)?;
    let begun = started(&timer, &path)?;
    let loaded = ctx.load()?;
    let written = log_timer(&timer, begun, end, ctx, &book_path, &loaded, &path)?;
    written.print(ctx)?;
    Ok(ExitCode::SUCCESS)
}

/// The running timer, or the refusal that says none runs.
fn running_timer(path: &Path, ctx: &Context) -> Result<Timer, Fail> {
    read_timer(path, ctx)?.ok_or_else(|| {
        Fail::request(
            "no timer is running",
            Some("start one with `credits start CLIENT`".into()),
        )
    })
}

/// Run `credits cancel` (and `credits stop --cancel`).
pub fn cancel(_args: &CancelArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let path = timer_path(&book_path);
    let timer = running_timer(&path, ctx)?;
    remove_timer(&path, ctx)?;
    let out = if ctx.format == super::Format::Json {
        crate::render::json::nothing_written()
    } else {
        format!("cancelled: {}\n", running(&timer))
    };
    print_or_note(
        ctx,
        &out,
        "the timer was cancelled; only printing it failed",
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Run `credits status`.
pub fn status(_args: &StatusArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let path = timer_path(&book_path);
    let timer = read_timer(&path, ctx)?;
    let row = match &timer {
        None => None,
        Some(t) => {
            let now = ctx.today.and_time(minute(ctx.time));
            let start = started(t, &path)?;
            Some(crate::render::tables::TimerRow {
                client: &t.client,
                start,
                description: &t.description,
                tags: &t.tags,
                minutes: Minutes::from((now - start).num_minutes().max(0)),
            })
        }
    };
    let text = match (ctx.format, &row, &timer) {
        (super::Format::Json, _, _) => crate::render::tables::status_json(row.as_ref()),
        (super::Format::Csv, _, _) => crate::render::tables::status_csv(row.as_ref()),
        (super::Format::Md, _, _) => crate::render::tables::status_md(row.as_ref()),
        (_, Some(r), Some(t)) => format!("{}, for {}\n", running(t), hmm(r.minutes)),
        _ => "no timer is running\n".to_string(),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
