//! `--roster roster.csv`: which LMS user each profile is. A CSV file
//! with a header row; the `profile` column is required, the others
//! (name, id, sis_id, login, email, section) are optional and may come in
//! any order. Header names are matched without regard to case, spaces or
//! underscores, and Canvas's own names are accepted too (`Student`, `SIS
//! User ID`, `SIS Login ID`, `Email address`, `ID number`, `Username`).

use std::collections::BTreeMap;

/// One student's LMS identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// The keyshake profile.
    pub profile: String,
    /// The name as the LMS shows it (Canvas: `Last, First`).
    pub name: String,
    /// The LMS's own user id (Canvas `ID`).
    pub id: String,
    /// The student information system's id (Canvas `SIS User ID`; Moodle
    /// `ID number`).
    pub sis_id: String,
    /// The login (Canvas `SIS Login ID`; Moodle `Username`).
    pub login: String,
    /// The email address (Moodle's usual identifier).
    pub email: String,
    /// The section (Canvas `Section`).
    pub section: String,
}

/// The roster: people by profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// By profile name.
    pub people: BTreeMap<String, Person>,
}

/// A problem in the roster file, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct RosterError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Roster {
    /// Parses a roster CSV (RFC 4180: quoted fields may hold commas,
    /// quotes doubled, line breaks).
    pub fn parse(text: &str) -> Result<Roster, RosterError> {
        let rows = read_csv(text)?;
        let Some((header, body)) = rows.split_first() else {
            return Err(RosterError {
                line: 1,
                column: 1,
                message: "the roster is empty; it needs a header row with a `profile` column"
                    .into(),
            });
        };
        let mut columns: Vec<Option<usize>> = vec![None; 7];
        for (i, (name, _)) in header.cells.iter().enumerate() {
            let slot = match key(name).as_str() {
                "profile" | "keyshakeprofile" => 0,
                "name" | "student" | "fullname" => 1,
                "id" | "canvasid" | "userid" => 2,
                "sisid" | "sisuserid" | "idnumber" => 3,
                "login" | "sisloginid" | "username" => 4,
                "email" | "emailaddress" => 5,
                "section" => 6,
                _ => continue,
            };
            columns[slot].get_or_insert(i);
        }
        let Some(profile_col) = columns[0] else {
            return Err(RosterError {
                line: header.line,
                column: 1,
                message:
                    "the header has no `profile` column (the keyshake profile of each student)"
                        .into(),
            });
        };
        let mut people = BTreeMap::new();
        for row in body {
            if row.cells.iter().all(|(c, _)| c.trim().is_empty()) {
                continue;
            }
            let get = |slot: usize| {
                columns[slot]
                    .and_then(|i| row.cells.get(i))
                    .map(|(c, _)| c.trim().to_string())
                    .unwrap_or_default()
            };
            let profile = get(0);
            if profile.is_empty() {
                let column = row.cells.get(profile_col).map_or(1, |(_, col)| *col);
                return Err(RosterError {
                    line: row.line,
                    column,
                    message: "this row has no profile".into(),
                });
            }
            let person = Person {
                name: get(1),
                id: get(2),
                sis_id: get(3),
                login: get(4),
                email: get(5),
                section: get(6),
                profile: profile.clone(),
            };
            if people.insert(profile.clone(), person).is_some() {
                return Err(RosterError {
                    line: row.line,
                    column: row.cells.get(profile_col).map_or(1, |(_, c)| *c),
                    message: format!("profile {profile:?} is listed twice"),
                });
            }
        }
        Ok(Roster { people })
    }

    /// The person of `profile`, if listed.
    pub fn get(&self, profile: &str) -> Option<&Person> {
        self.people.get(profile)
    }
}

/// A header name reduced for matching: lowercase, without spaces, `_`
/// and `-`.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A CSV row: its 1-based line, and each cell with its 1-based column.
struct Row {
    line: usize,
    cells: Vec<(String, usize)>,
}

fn read_csv(text: &str) -> Result<Vec<Row>, RosterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 1usize);
    let mut row = Row {
        line: 1,
        cells: Vec::new(),
    };
    let mut cell = String::new();
    let mut cell_col = 1;
    let mut quoted = false;
    let mut quote_at = (1, 1);
    let mut ended = false;
    while let Some(c) = chars.next() {
        ended = false;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                    column += 2;
                    continue;
                }
                '"' => quoted = false,
                '\n' => {
                    cell.push(c);
                    line += 1;
                    column = 0;
                }
                _ => cell.push(c),
            }
            column += 1;
            continue;
        }
        match c {
            '"' if cell.is_empty() => {
                quoted = true;
                quote_at = (line, column);
            }
            ',' => {
                row.cells.push((std::mem::take(&mut cell), cell_col));
                cell_col = column + 1;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.cells.push((std::mem::take(&mut cell), cell_col));
                rows.push(std::mem::replace(
                    &mut row,
                    Row {
                        line: line + 1,
                        cells: Vec::new(),
                    },
                ));
                line += 1;
                column = 0;
                cell_col = 1;
                ended = true;
            }
            _ => cell.push(c),
        }
        column += 1;
    }
    if quoted {
        return Err(RosterError {
            line: quote_at.0,
            column: quote_at.1,
            message: "this quoted cell is never closed (a `\"` is missing)".into(),
        });
    }
    if !ended && (!cell.is_empty() || !row.cells.is_empty()) {
        row.cells.push((cell, cell_col));
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_maps_profiles_to_lms_users_in_any_column_order() {
        let text = "Email address,profile,Student,SIS User ID,SIS Login ID,ID,Section\r\n\
                    ana@example.edu,student-a,\"Lovelace, Ada\",S001,alovelace,1201,Mon\r\n\
                    \r\n\
                    bo@example.edu,student-b,\"Bo \"\"B\"\" Li\",S002,bli,1202,Tue\n";
        let r = Roster::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let a = r.get("student-a").cloned().unwrap_or_default();
        assert_eq!(
            (a.name.as_str(), a.id.as_str(), a.sis_id.as_str()),
            ("Lovelace, Ada", "1201", "S001")
        );
        assert_eq!(
            (a.login.as_str(), a.email.as_str()),
            ("alovelace", "ana@example.edu")
        );
        assert_eq!(a.section, "Mon");
        assert_eq!(
            r.get("student-b").map(|p| p.name.as_str()),
            Some("Bo \"B\" Li")
        );
        assert_eq!(r.people.len(), 2);
    }

    #[test]
    fn roster_problems_name_line_and_column() {
        let e = Roster::parse("name,email\nAda,a@x\n").err();
        assert_eq!(e.map(|e| (e.line, e.column)), Some((1, 1)));
        let e = Roster::parse("profile,name\na,\"Ada\nb,Bo\n").err();
        assert_eq!(
            e.map(|e| (e.line, e.column, e.message.contains("never closed"))),
            Some((2, 3, true))
        );
        let e = Roster::parse("name,profile\nAda,a\nBo,a\n").err();
        assert_eq!(e.map(|e| (e.line, e.column)), Some((3, 4)));
        let e = Roster::parse("name,profile\nAda,\n").err();
        assert_eq!(e.map(|e| e.line), Some(2));
    }
}
