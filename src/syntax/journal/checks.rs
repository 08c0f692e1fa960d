//! The character rules of a journal line, checked before its words are read: no unresolved
//! git conflict marker, no carriage return but the CR of a CRLF, no control character but
//! tab, no line or paragraph separator, no bidirectional control.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// The problem of the line `start..end` of `text` (`end`: its `\n` or the end of the text)
/// that no word of it can cause: a git conflict marker at its start, or a character a journal
/// may not hold ([`forbidden_at`]).
pub(super) fn line_problem(
    text: &str,
    start: usize,
    end: usize,
    file: FileId,
    plain: bool,
) -> Option<Diagnostic> {
    let line = text.as_bytes().get(start..end)?;
    if let [c @ (b'<' | b'=' | b'>' | b'|'), ..] = line
        && line.len() >= 7
        && line[..7].iter().all(|b| b == c)
        && matches!(line.get(7), None | Some(b' ' | b'\r'))
    {
        return Some(
            Diagnostic::error(
                Span::new(file, start, start + 7),
                "unresolved merge conflict",
            )
            .with_help(
                "keep the lines you want from each side and remove the `<<<<<<<`, \
                     `|||||||`, `=======` and `>>>>>>>` lines",
            ),
        );
    }
    if plain {
        return None;
    }
    let at = forbidden_at(line, end < text.len())?;
    let c = text.get(start + at..)?.chars().next()?;
    let (name, help) = forbidden_name(c);
    let message = if c == '\r' {
        format!("{name} that is not followed by a line feed")
    } else {
        format!("{name} in the text")
    };
    Some(
        Diagnostic::error(
            Span::new(file, start + at, start + at + c.len_utf8()),
            message,
        )
        .with_help(help),
    )
}

/// Where the first character a journal may not hold is in `line` (one line, without its
/// `\n`; `lf`: a `\n` follows it): a carriage return that is not the CR of a CRLF, any
/// other control character but tab (NUL, C0, DEL, C1), the line and paragraph separators
/// U+2028 and U+2029, and the bidirectional controls U+202A–U+202E and U+2066–U+2069.
/// Eight bytes at a time: a chunk of printable ASCII is passed over at once.
#[must_use]
pub fn forbidden_at(line: &[u8], lf: bool) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut i = 0;
    while i < line.len() {
        if let Some(chunk) = line.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            let x = u64::from_le_bytes(*chunk);
            let del = x ^ (ONES * 0x7f);
            // Bytes below a space, DEL, and bytes with the high bit (non-ASCII): looked at
            // one by one; a chunk without them holds nothing to look at.
            let odd = (x.wrapping_sub(ONES * 0x20) & !x) | (del.wrapping_sub(ONES) & !del) | x;
            if odd & HIGH == 0 {
                i += 8;
                continue;
            }
        }
        let stop = (i + 8).min(line.len());
        while i < stop {
            let bad = match line[i] {
                b'\t' => false,
                b'\r' => !(lf && i + 1 == line.len()),
                0..=0x1f | 0x7f => true,
                0xc2 => matches!(line.get(i + 1), Some(0x80..=0x9f)),
                0xe2 => matches!(
                    (line.get(i + 1), line.get(i + 2)),
                    (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
                ),
                _ => false,
            };
            if bad {
                return Some(i);
            }
            i += 1;
        }
    }
    None
}

/// True when `text` may hold a character a journal may not ([`forbidden_at`]): a byte below a
/// space but line feed and tab (carriage returns included), DEL, or the first byte of a C1
/// control (`0xC2`) or of the separators and bidirectional controls (`0xE2`). False means
/// that no line of `text` holds one, so its lines need no look of their own. Blocks of 64
/// bytes are tested without a branch, which the compiler vectorises.
#[must_use]
pub fn may_hold_forbidden(text: &[u8]) -> bool {
    // 1 for such a byte, else 0: summed with `|`, so that a block's test has no branch.
    let odd = |b: u8| {
        (u8::from(b < 0x20) & u8::from(b != b'\n') & u8::from(b != b'\t'))
            | u8::from(b == 0x7f)
            | u8::from(b == 0xc2)
            | u8::from(b == 0xe2)
    };
    let (blocks, rest) = text.as_chunks::<64>();
    blocks
        .iter()
        .any(|block| block.iter().fold(0, |seen, &b| seen | odd(b)) != 0)
        || rest.iter().any(|&b| odd(b) != 0)
}

/// What a character [`forbidden_at`] finds is called (`a carriage return (U+000D)`), and the
/// help that says what to do with it.
#[must_use]
pub fn forbidden_name(c: char) -> (String, &'static str) {
    let code = format!("U+{:04X}", u32::from(c));
    match c {
        '\r' => (
            format!("a carriage return ({code})"),
            "lines end with LF or CRLF: end the line with a line feed or remove the carriage return",
        ),
        '\n' => (format!("a line feed ({code})"), "an entry is one line"),
        '\0' => (
            format!("a NUL character ({code})"),
            "remove it: a journal is plain text",
        ),
        '\u{2028}' | '\u{2029}' => (
            format!(
                "a {} separator ({code})",
                if c == '\u{2028}' { "line" } else { "paragraph" }
            ),
            "remove it: only a line feed ends a line",
        ),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => (
            format!("a bidirectional control character ({code})"),
            "remove it: it can make a line show something other than what it holds",
        ),
        _ => (
            format!("a control character ({code})"),
            "remove it: tab is the only control character allowed",
        ),
    }
}
