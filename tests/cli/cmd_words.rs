//! How a golden case's `cmd` line is split into arguments, shared by the golden tests and
//! the fuzz harness, so both read a case alike. `examples/fuzz.rs` includes this file, and the
//! test binary reaches it through the harness (`fuzz::cmd_words`): one copy in each build.

/// Split `line` into words like a shell: blanks separate, `'…'` is literal, `"…"` allows `\"` and `\\`.
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => out.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                w.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        c => w.push(c),
                    }
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    out
}
