//! The width text tables fit: read here, from the terminal and `COLUMNS`, and handed to
//! `render` as a number (`render` itself never asks).

use std::ffi::OsStr;
use std::io::IsTerminal;

/// Narrower than this, a table is not worth squeezing: it is printed as wide as its content.
const NARROWEST: u16 = 20;

/// The width for stdout's tables: `None` (as wide as their content, never cut) unless stdout
/// is a terminal.
#[must_use]
pub fn stdout_width() -> Option<u16> {
    let terminal = std::io::stdout().is_terminal();
    let size = || terminal_size::terminal_size().map(|(w, _)| w.0);
    table_width(
        terminal,
        std::env::var_os("COLUMNS").as_deref(),
        if terminal { size() } else { None },
    )
}

/// On a terminal, the width `COLUMNS` gives (a whole number), else the terminal's own `size`,
/// else 80; off a terminal, none. A width under 20 columns is taken as none.
#[must_use]
pub fn table_width(terminal: bool, columns: Option<&OsStr>, size: Option<u16>) -> Option<u16> {
    if !terminal {
        return None;
    }
    let columns = columns
        .and_then(OsStr::to_str)
        .and_then(|c| c.trim().parse::<u16>().ok());
    Some(columns.or(size).unwrap_or(80)).filter(|w| *w >= NARROWEST)
}

#[cfg(test)]
mod tests {
    use super::table_width;
    use std::ffi::OsStr;

    #[test]
    fn a_terminal_gives_columns_then_its_size_then_80_and_a_pipe_none() {
        let c = |s: &'static str| Some(OsStr::new(s));
        assert_eq!(table_width(true, c("80"), Some(120)), Some(80));
        assert_eq!(table_width(true, None, Some(120)), Some(120));
        assert_eq!(table_width(true, c("wide"), Some(120)), Some(120));
        assert_eq!(table_width(true, None, None), Some(80));
        assert_eq!(table_width(true, c("10"), None), None);
        assert_eq!(table_width(false, c("80"), Some(80)), None);
    }
}
