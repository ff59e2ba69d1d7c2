//! The names AWS accepts for IAM users, roles, their paths and role
//! sessions, so that a scenario cannot model an identity AWS would refuse
//! to create.
//!
//! The rules come from the IAM API Reference: `CreateRole` and `CreateUser`
//! take a name of 1 to 64 characters matching `[\w+=,.@-]+` and a path of 1
//! to 512 characters that is `/` or starts and ends with `/` with printable
//! ASCII (U+0021 to U+007E) between
//! (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>);
//! `AssumeRole` takes a `RoleSessionName` of 2 to 64 characters matching
//! `[\w+=,.@-]*`
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>).

/// The longest user or role name AWS accepts.
pub const MAX_NAME: usize = 64;
/// The longest path AWS accepts.
pub const MAX_PATH: usize = 512;

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// Checks one user, role or session name; `what` is "role name", "user
/// name" or "session name". The message names the first character AWS
/// would refuse, or the length.
pub fn check_name(name: &str, what: &str, min: usize) -> Result<(), String> {
    let len = name.chars().count();
    if len < min || len > MAX_NAME {
        return Err(format!(
            "{what} must be {min} to {MAX_NAME} characters long (this one has {len})"
        ));
    }
    if let Some(bad) = name.chars().find(|&c| !name_char(c)) {
        return Err(format!(
            "{what} may hold only letters, digits and _+=,.@- (AWS refuses {})",
            shown(bad)
        ));
    }
    Ok(())
}

/// Checks the resource part of a user or role ARN (`role/NAME`,
/// `user/PATH/NAME`): its path and its name.
pub fn check_iam_resource(resource: &str) -> Result<(), String> {
    let (kind, rest) = resource
        .split_once('/')
        .ok_or_else(|| format!("\"{resource}\" has no user or role name"))?;
    let what = if kind == "role" {
        "role name"
    } else {
        "user name"
    };
    let (path, name) = match rest.rfind('/') {
        Some(i) => (&rest[..=i], &rest[i + 1..]),
        None => ("", rest),
    };
    check_name(name, what, 1)?;
    let full_path = format!("/{path}");
    if full_path.len() > MAX_PATH {
        return Err(format!(
            "the path of {what} {name} is longer than AWS's {MAX_PATH} characters"
        ));
    }
    if let Some(bad) = path.chars().find(|c| !('\u{21}'..='\u{7e}').contains(c)) {
        return Err(format!(
            "the path of {what} {name} may hold only printable ASCII (AWS refuses {})",
            shown(bad)
        ));
    }
    if path.contains("//") {
        return Err(format!("the path of {what} {name} has an empty part (//)"));
    }
    Ok(())
}

fn shown(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else if c.is_control() || !c.is_ascii() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("\"{c}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aws_accepts_pass() {
        for r in [
            "role/a",
            "role/lambda-exec",
            "role/service-role/my.role@x",
            "user/alice",
            "user/division/team/bob+ci=1,2",
        ] {
            assert_eq!(check_iam_resource(r), Ok(()), "{r}");
        }
        assert!(check_iam_resource(&format!("role/{}", "r".repeat(64))).is_ok());
    }

    #[test]
    fn names_aws_refuses_fail_with_the_reason() {
        let cases = [
            ("role/my role", "a space"),
            ("role/caf\u{e9}", "U+00E9"),
            ("role/evil\u{202e}gnp", "U+202E"),
            ("user/\u{ff21}dmin", "U+FF21"),
            ("role/x#y", "\"#\""),
            ("role/path//x", "empty part"),
            ("role/p\u{e9}th/x", "U+00E9"),
        ];
        for (r, why) in cases {
            let e = check_iam_resource(r).expect_err(r);
            assert!(e.contains(why), "{r}: {e}");
        }
        let long = format!("role/{}", "r".repeat(65));
        assert!(check_iam_resource(&long).unwrap_err().contains("65"));
        let huge = format!("role/{}", "r".repeat(70_000));
        assert!(check_iam_resource(&huge).is_err());
        assert!(check_name("a", "session name", 2).is_err());
    }
}
