//! Completion of the book's own words: the hidden `credits __complete KIND [PREFIX]`, which
//! prints client ids, quote ids, lot refs, plans, packages or tasks from the book found as
//! usual, and the part of each shell's script that calls it.
//!
//! The scripts of `credits completions SHELL` are `clap_complete`'s, with a function in front
//! that knows which positions and options take one of those words: it asks `credits
//! __complete` for them, and hands every other case to `clap_complete`'s function. Which
//! argument takes which kind is read from the clap definitions (a positional named `CLIENT`,
//! a `--quote` option, ...), so a new command that takes a client completes it too.

use super::{Cli, Context};
use crate::load;
use crate::model::{MetaKey, Verb};
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::process::ExitCode;

/// What `__complete` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Client ids.
    Clients,
    /// Quote and estimate ids.
    Quotes,
    /// Lots: the `ref:` of each purchase, or its date when it has none.
    Lots,
    /// Plan names.
    Plans,
    /// Package names.
    Packages,
    /// Task names.
    Tasks,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Clients => "clients",
            Kind::Quotes => "quotes",
            Kind::Lots => "lots",
            Kind::Plans => "plans",
            Kind::Packages => "packages",
            Kind::Tasks => "tasks",
        }
    }
}

/// Print the book's ids of one kind, one a line, for the shell scripts
#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// What to list
    #[arg(value_enum)]
    pub kind: Kind,
    /// Only the ids that start with this
    #[arg(default_value = "")]
    pub prefix: String,
    /// Only this client's quotes and lots
    #[arg(long, value_name = "CLIENT")]
    pub client: Option<String>,
}

/// Run `credits __complete`: the ids, or silently nothing when no book is found or it cannot
/// be read (a completion must never print an error into the command line being typed).
pub fn run(args: &CompleteArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let ids = ctx.book_path().ok().and_then(|path| {
        let request = load::Request::new(&path, &ctx.cwd);
        let loaded = match args.kind {
            Kind::Quotes | Kind::Lots => load::load(&request, load::Entries).ok(),
            _ => load::load(&request, load::BookOnly).ok(),
        };
        loaded.map(|(loaded, ())| ids(&loaded, args))
    });
    let mut out = String::new();
    for id in ids.unwrap_or_default() {
        out.push_str(&id);
        out.push('\n');
    }
    ctx.print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The ids of `args.kind` in `loaded` that start with `args.prefix`, sorted, each once.
fn ids(loaded: &load::Loaded, args: &CompleteArgs) -> BTreeSet<String> {
    let book = &loaded.book;
    let of_client = |client: &str| args.client.as_deref().is_none_or(|c| c == client);
    let all: BTreeSet<String> = match args.kind {
        Kind::Clients => book.clients.keys().cloned().collect(),
        Kind::Plans => book.plans.keys().cloned().collect(),
        Kind::Packages => book.packages.keys().cloned().collect(),
        Kind::Tasks => book.tasks.keys().cloned().collect(),
        Kind::Quotes => loaded
            .entries
            .iter()
            .filter(|e| of_client(&e.client))
            .filter_map(|e| match &e.verb {
                Verb::Quote { id, .. } | Verb::Estimate { id, .. } => Some(id.to_string()),
                _ => None,
            })
            .collect(),
        Kind::Lots => loaded
            .entries
            .iter()
            .filter(|e| of_client(&e.client) && matches!(e.verb, Verb::Buy { .. }))
            .map(|e| {
                e.meta(MetaKey::Ref)
                    .map_or_else(|| e.date.to_string(), str::to_string)
            })
            .collect(),
    };
    all.into_iter()
        .filter(|id| id.starts_with(&args.prefix))
        .collect()
}

/// Which arguments take which kind of id, read from the clap definitions.
struct Table {
    /// `(command, position from 1, kind)` of the positionals.
    positions: Vec<(String, usize, Kind)>,
    /// `(--option, kind)`.
    options: Vec<(String, Kind)>,
    /// Every option that takes a value (`-f`, `--file`, `--date`, ...), so that its value is
    /// not counted as a positional.
    valued: BTreeSet<String>,
}

/// The kind of id a positional argument of `command` takes, by its value name.
fn positional_kind(command: &str, arg: &clap::Arg) -> Option<Kind> {
    let name = arg
        .get_value_names()
        .and_then(|v| v.first())
        .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string);
    let words: Vec<&str> = name.split('|').collect();
    if words.contains(&"CLIENT") {
        Some(Kind::Clients)
    } else if words.contains(&"PLAN") {
        Some(Kind::Plans)
    } else if words.contains(&"PACKAGE") {
        Some(Kind::Packages)
    } else if words.contains(&"TASK") {
        Some(Kind::Tasks)
    } else if words.contains(&"LOT") {
        Some(Kind::Lots)
    } else if name == "ID" && !matches!(command, "quote" | "estimate") {
        // The id of an existing quote (`quote` and `estimate` name a new one).
        Some(Kind::Quotes)
    } else {
        None
    }
}

fn table() -> Table {
    let mut cmd = Cli::command();
    cmd.build();
    let mut table = Table {
        positions: Vec::new(),
        options: Vec::new(),
        valued: BTreeSet::new(),
    };
    for arg in cmd.get_arguments() {
        valued(arg, &mut table.valued);
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        for arg in sub.get_arguments() {
            valued(arg, &mut table.valued);
            let kind = match arg.get_long() {
                Some("client") => Some(Kind::Clients),
                Some("quote") => Some(Kind::Quotes),
                Some("task") => Some(Kind::Tasks),
                _ => None,
            };
            if let (Some(long), Some(kind)) = (arg.get_long(), kind) {
                let long = format!("--{long}");
                if !table.options.iter().any(|(l, _)| *l == long) {
                    table.options.push((long, kind));
                }
            }
        }
        for (i, arg) in sub.get_positionals().enumerate() {
            if arg.is_hide_set() {
                // `log`'s words: `[CLIENT] DURATION ...`, the client first.
                if i == 0 && arg.get_id() == "words" {
                    table.positions.push((name.to_string(), 1, Kind::Clients));
                }
                break;
            }
            if let Some(kind) = positional_kind(name, arg) {
                table.positions.push((name.to_string(), i + 1, kind));
            }
            if arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
                break;
            }
        }
    }
    table
}

fn valued(arg: &clap::Arg, set: &mut BTreeSet<String>) {
    if arg.is_positional() || !arg.get_action().takes_values() {
        return;
    }
    if let Some(long) = arg.get_long() {
        set.insert(format!("--{long}"));
    }
    if let Some(short) = arg.get_short() {
        set.insert(format!("-{short}"));
    }
}

/// `case` patterns of the positions, one line per kind: `balance:1|log:1) kind=clients ;;`.
fn position_cases(table: &Table, indent: &str, arm: impl Fn(&str, &str) -> String) -> String {
    let mut out = String::new();
    for kind in Kind::value_variants() {
        let pats: Vec<String> = table
            .positions
            .iter()
            .filter(|(_, _, k)| k == kind)
            .map(|(c, p, _)| format!("{c}:{p}"))
            .collect();
        if !pats.is_empty() {
            let _ = writeln!(out, "{indent}{}", arm(&pats.join("|"), kind.word()));
        }
    }
    out
}

fn option_cases(table: &Table, indent: &str, arm: impl Fn(&str, &str) -> String) -> String {
    let mut out = String::new();
    for (long, kind) in &table.options {
        let _ = writeln!(out, "{indent}{}", arm(long, kind.word()));
    }
    out
}

/// The completion script for `shell`: `clap_complete`'s, with ids from the book for bash, zsh
/// and fish.
#[must_use]
pub fn script(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "credits", &mut out);
    let generated = String::from_utf8_lossy(&out).into_owned();
    let table = table();
    let valued: Vec<&str> = table.valued.iter().map(String::as_str).collect();
    // Bash and zsh: `template` with the shared scan (each shell's words, its first word after
    // the command, the word being completed) and the table's cases, written alike.
    let posix = |template: &str, words: &str, first: u8, cword: &str| {
        let scan = SCAN
            .replace("@WORDS@", words)
            .replace("@FIRST@", &first.to_string())
            .replace("@CWORD@", cword);
        let case = |p: &str, k: &str| format!("{p}) kind={k} ;;");
        template
            .replace("@SCAN@", &scan)
            .replace("@VALUED@", &valued.join("|"))
            .replace("@OPTIONS@", &option_cases(&table, "            ", case))
            .replace("@POSITIONS@", &position_cases(&table, "            ", case))
    };
    match shell {
        Shell::Bash => {
            let script = posix(BASH, "COMP_WORDS", 1, "COMP_CWORD");
            // clap_complete's `complete` line names its own function: point it at ours.
            let generated = generated.replace("complete -F _credits ", "complete -F _credits_ids ");
            format!("{generated}\n{script}")
        }
        Shell::Zsh => {
            let script = posix(ZSH, "words", 2, "CURRENT");
            // clap_complete's `_credits` becomes `_credits_clap`; ours takes its name, so
            // that both `compdef` and an autoloaded `_credits` run ours first.
            let generated = generated.replacen("\n_credits() {", "\n_credits_clap() {", 1);
            let tail = "\nif [ \"$funcstack[1]\" = \"_credits\" ]; then";
            match generated.split_once(tail) {
                Some((head, rest)) => format!("{head}\n{script}{tail}{rest}"),
                None => format!("{generated}\n{script}"),
            }
        }
        Shell::Fish => {
            let script = FISH
                .replace("@VALUED@", &valued.join(" "))
                .replace(
                    "@OPTIONS@",
                    &option_cases(&table, "            ", |p, k| {
                        format!("case {p}\n                set kind {k}")
                    }),
                )
                .replace(
                    "@POSITIONS@",
                    &position_cases(&table, "            ", |p, k| {
                        format!("case {}\n                set kind {k}", p.replace('|', " "))
                    }),
                )
                // fish completes an option's value from that option's own completions.
                .replace(
                    "@OPTION_LINES@",
                    &option_cases(&table, "", |p, _| {
                        format!(
                            "complete -c credits -l {} -x -a '(__credits_ids)'",
                            p.trim_start_matches('-')
                        )
                    }),
                );
            format!("{generated}\n{script}")
        }
        _ => generated,
    }
}

/// The scan of the words typed so far, which bash and zsh share (`@WORDS@`, `@FIRST@` and
/// `@CWORD@` name each shell's words, its first word after the command, and the word being
/// completed): the subcommand, the positions, the option whose value is typed, `--client` and
/// `--file`.
const SCAN: &str = r#"    local -i pos=0 skip=0 dashdash=0
    for (( i = @FIRST@; i < @CWORD@; i++ )); do
        w="${@WORDS@[i]}"
        if (( skip )); then
            skip=0
            case "$opt" in
                --client) client="$w" ;;
                -f|--file) book="$w" ;;
            esac
            continue
        fi
        if (( ! dashdash )) && [[ $w == -- ]]; then
            dashdash=1
            continue
        fi
        if (( ! dashdash )) && [[ $w == -* ]]; then
            case "$w" in
                @VALUED@) skip=1; opt="$w" ;;
            esac
            continue
        fi
        if [[ -z $sub ]]; then
            sub="$w"
        else
            pos+=1
            (( pos == 1 )) && first="$w"
        fi
    done
    if (( skip )); then
        case "$opt" in
@OPTIONS@        esac
    elif [[ -n $sub && ( $dashdash == 1 || $cur != -* ) ]]; then
        case "$sub:$((pos + 1))" in
@POSITIONS@        esac
    fi
"#;

const BASH: &str = r#"# Ids from the book (clients, quotes, lots, plans, packages, tasks): `credits __complete`.
_credits_ids() {
    local cur="${COMP_WORDS[COMP_CWORD]}" sub="" first="" client="" book="" opt="" kind="" w i
@SCAN@    if [[ -n $kind ]]; then
        local owner="${client:-$first}" ids
        ids="$(command "${COMP_WORDS[0]}" ${book:+--file "$book"} __complete "$kind" "$cur" ${owner:+--client "$owner"} 2>/dev/null)"
        if [[ -n $ids ]]; then
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$ids" -- "$cur") )
            return 0
        fi
    fi
    _credits "$@"
}
"#;

const ZSH: &str = r#"# Ids from the book (clients, quotes, lots, plans, packages, tasks): `credits __complete`.
_credits() {
    local cur="${words[CURRENT]}" sub="" first="" client="" book="" opt="" kind="" w i
@SCAN@    if [[ -n $kind ]]; then
        local owner="${client:-$first}"
        local -a ids pre post
        [[ -n $book ]] && pre=(--file "$book")
        [[ -n $owner ]] && post=(--client "$owner")
        ids=( ${(f)"$(command "${words[1]}" "${pre[@]}" __complete "$kind" "$cur" "${post[@]}" 2>/dev/null)"} )
        if (( ${#ids} )); then
            compadd -a ids
            return 0
        fi
    fi
    _credits_clap "$@"
}
"#;

const FISH: &str = r#"# Ids from the book (clients, quotes, lots, plans, packages, tasks): `credits __complete`.
function __credits_ids
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l program $words[1]
    set -e words[1]
    set -l sub; set -l first; set -l client; set -l book; set -l opt; set -l kind
    set -l pos 0; set -l skip 0; set -l dashdash 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            switch $opt
                case --client
                    set client $w
                case -f --file
                    set book $w
            end
            continue
        end
        if test $dashdash -eq 0; and test "$w" = --
            set dashdash 1
            continue
        end
        if test $dashdash -eq 0; and string match -q -- '-*' $w
            if contains -- $w @VALUED@
                set skip 1
                set opt $w
            end
            continue
        end
        if test -z "$sub"
            set sub $w
        else
            set pos (math $pos + 1)
            test $pos -eq 1; and set first $w
        end
    end
    if test $skip -eq 1
        switch $opt
@OPTIONS@        end
    else if test -n "$sub"; and begin; test $dashdash -eq 1; or not string match -q -- '-*' $cur; end
        switch "$sub:"(math $pos + 1)
@POSITIONS@        end
    end
    test -n "$kind"; or return 1
    set -l owner $client
    test -n "$owner"; or set owner $first
    set -l args
    test -n "$book"; and set args $args --file $book
    set args $args __complete $kind $cur
    test -n "$owner"; and set args $args --client $owner
    set -l ids (command $program $args 2>/dev/null)
    test (count $ids) -gt 0; or return 1
    printf '%s\n' $ids
end
complete -c credits -f -n '__credits_ids >/dev/null' -a '(__credits_ids)'
@OPTION_LINES@"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_knows_which_arguments_take_ids() {
        let t = table();
        let has = |c: &str, p: usize, k: Kind| {
            t.positions
                .iter()
                .any(|(cc, pp, kk)| cc == c && *pp == p && *kk == k)
        };
        assert!(has("balance", 1, Kind::Clients));
        assert!(has("log", 1, Kind::Clients));
        assert!(has("approve", 2, Kind::Quotes));
        assert!(has("done", 2, Kind::Quotes));
        assert!(has("refund", 2, Kind::Lots));
        assert!(has("plan", 2, Kind::Plans));
        assert!(has("buy", 2, Kind::Packages));
        assert!(has("debit", 2, Kind::Tasks));
        assert!(has("quote", 3, Kind::Tasks));
        assert!(
            !has("quote", 2, Kind::Quotes),
            "a new quote's id is not completed"
        );
        assert!(t.options.contains(&("--client".to_string(), Kind::Clients)));
        assert!(t.options.contains(&("--quote".to_string(), Kind::Quotes)));
        assert!(t.valued.contains("--file") && t.valued.contains("-f"));
        assert!(t.valued.contains("--date") && !t.valued.contains("--quiet"));
    }

    #[test]
    fn every_script_calls_complete() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let s = script(shell);
            assert!(
                s.contains("__complete \"$kind\"") || s.contains("__complete $kind"),
                "{shell}"
            );
            assert!(s.contains("approve:2"), "{shell}");
            for hole in ["@VALUED@", "@OPTIONS@", "@POSITIONS@", "@OPTION_LINES@"] {
                assert!(!s.contains(hole), "{shell}: {hole}");
            }
        }
        assert!(script(Shell::Bash).contains("complete -F _credits_ids "));
        assert!(script(Shell::Zsh).contains("\n_credits_clap() {"));
    }
}
