//! `--help`: each command teaches its own use, in the user's words.

use super::support::Case;

/// Every command's name, as `credits --help` lists them.
fn commands() -> Vec<String> {
    let out = Case::new().no_today().args(["--help"]).run().stdout;
    out.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_help_speaks_to_users_and_lists_its_own_options_first() {
    let names = commands();
    assert!(names.len() > 20, "{names:?}");
    for name in &names {
        for flag in ["-h", "--help"] {
            let help = Case::new()
                .no_today()
                .args([name.as_str(), flag])
                .run()
                .stdout;
            assert!(
                !help.contains("SPEC"),
                "`{name} {flag}` cites the SPEC:\n{help}"
            );
            assert!(!help.contains("WORDS"), "`{name} {flag}`:\n{help}");
            let own = help.find("\nOptions:\n").expect("an Options heading");
            let global = help
                .find("\nGlobal options:\n")
                .expect("a Global options heading");
            assert!(own < global, "`{name} {flag}`:\n{help}");
            assert!(
                !help[own..global].contains("--today"),
                "`{name} {flag}` mixes global options into its own:\n{help}"
            );
        }
    }
}

#[test]
fn approve_reject_and_done_each_have_their_own_help() {
    let about = |name: &str| {
        let help = Case::new().no_today().args([name, "--help"]).run().stdout;
        assert!(help.contains(&format!("credits {name} acme")), "{help}");
        help.lines().next().unwrap_or_default().to_string()
    };
    let (approve, reject, done) = (about("approve"), about("reject"), about("done"));
    assert!(approve.starts_with("Approve"), "{approve}");
    assert!(reject.starts_with("Reject"), "{reject}");
    assert!(done.starts_with("Deliver"), "{done}");
}

#[test]
fn an_unknown_option_suggests_the_nearest_real_one() {
    Case::new()
        .args(["log", "acme", "15m", "--tga", "dev"])
        .code(2)
        .stderr_has("a similar argument exists: '--tag'")
        .run();
}
