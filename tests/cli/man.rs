//! `credits man`: a page per command and per file format, each one a page `man` can read.

use super::support::Case;
use std::process::Command;

#[test]
fn man_alone_prints_the_main_page() {
    let out = Case::new().args(["man"]).run().stdout;
    assert!(out.contains(".TH credits 1"), "{out}");
    for section in ["ENVIRONMENT", "EXIT STATUS", "FILES", "SEE ALSO"] {
        assert!(out.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    assert!(out.contains("credits\\-journal"), "names the journal page");
}

#[test]
fn man_out_writes_every_page_and_roff_accepts_each() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path().join("man");
    let out = Case::new()
        .args(["man", "--out", dir.to_str().expect("a UTF-8 path")])
        .run()
        .stdout;
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    for f in [
        "credits.1",
        "credits-log.1",
        "credits-approve.1",
        "credits-reject.1",
        "credits-done.1",
        "credits-statement.1",
        "credits-man.1",
        "credits-journal.5",
        "credits-book.5",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} not in {files:?}");
    }
    assert_eq!(out.lines().count(), files.len(), "{out}");
    for f in &files {
        let text = std::fs::read_to_string(dir.join(f)).expect("a page");
        let first = text.lines().find(|l| l.starts_with(".TH ")).expect(".TH");
        let (name, section) = f.rsplit_once('.').expect("NAME.SECTION");
        assert!(
            first
                .to_lowercase()
                .starts_with(&format!(".th {name} {section}")),
            "{f}: {first}"
        );
        assert!(text.contains(".SH \"SEE ALSO\""), "{f}");
        assert!(!text.contains("SPEC"), "{f} cites the SPEC");
        // groff, where it is installed, reads every page without a warning.
        let Ok(groff) = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.join(f))
            .output()
        else {
            continue;
        };
        let stderr = String::from_utf8_lossy(&groff.stderr);
        assert!(groff.status.success() && stderr.is_empty(), "{f}: {stderr}");
    }
}

#[test]
fn the_format_pages_come_from_the_docs() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path().join("man");
    Case::new()
        .args(["man", "--out", dir.to_str().expect("a UTF-8 path")])
        .run();
    let book = std::fs::read_to_string(dir.join("credits-book.5")).expect("credits-book.5");
    for key in ["unit_minutes", "refund_days", "monthly_expires", "dirs"] {
        assert!(book.contains(&format!("\\fB{key}\\fR")), "{key}");
    }
    let journal = std::fs::read_to_string(dir.join("credits-journal.5")).expect("journal");
    assert!(journal.contains("What the engine does with them"));
}
