//! `--set key.path=value`: change one value of a scenario before it is checked.
//!
//! The value is read as a TOML value (`5000`, `1e6`, `"lung"`, `[1.0, 2.0]`);
//! text that is not a TOML value is taken as a string, so `--set name=trial`
//! works. The override is applied to the parsed file before validation, so the
//! new value is checked exactly like the file's own. Paths name tables with
//! dots and array elements with `[n]` or `.n`: `graph.transitions[2].rate_per_h`.
//! Every table on the way must exist in the file; the last key may be new (an
//! optional key), and a misspelt one is then caught as an unknown field.

use toml::{Table, Value};

/// One parsed `--set` assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The assignment as typed, for messages and the manifest.
    pub assignment: String,
    /// The path in the canonical form used by error keys (`a.b[2].c`).
    pub key: String,
    segments: Vec<Segment>,
    value: Value,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Override {
    /// Parses `key.path=value`; the error says what was expected and found.
    pub fn parse(assignment: &str) -> Result<Self, String> {
        let Some((path, raw_value)) = assignment.split_once('=') else {
            return Err(format!(
                "expected key.path=value (such as run.cells=5000), found \"{assignment}\""
            ));
        };
        let segments = parse_path(path.trim())?;
        Ok(Self {
            assignment: assignment.to_string(),
            key: canonical_key(&segments),
            segments,
            value: parse_value(raw_value.trim()),
        })
    }

    /// Applies the override to a parsed scenario table.
    pub fn apply(&self, table: &mut Table) -> Result<(), String> {
        // Preset parameters are a free-form table: their dotted keys may name
        // tables the file does not have yet (`parameters.lung.shunt`).
        if let Some(Segment::Key(first)) = self.segments.first()
            && first == "parameters"
        {
            let mut node = table
                .entry("parameters")
                .or_insert_with(|| Value::Table(Table::new()));
            for segment in &self.segments[1..self.segments.len().saturating_sub(1)] {
                let (Segment::Key(k), Value::Table(t)) = (segment, node) else {
                    break;
                };
                node = t
                    .entry(k.clone())
                    .or_insert_with(|| Value::Table(Table::new()));
            }
        }
        let mut root = Value::Table(std::mem::take(table));
        let result = set_at(&mut root, &self.segments, &self.value, &mut Vec::new());
        if let Value::Table(t) = root {
            *table = t;
        }
        result
    }
}

/// Sets `value` at `path` below `node`; every step but the last must exist.
fn set_at(
    node: &mut Value,
    path: &[Segment],
    value: &Value,
    walked: &mut Vec<Segment>,
) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return Err("expected a key path, found nothing".to_string());
    };
    walked.push(first.clone());
    let missing = |walked: &[Segment]| {
        format!(
            "expected a path through tables and array elements that exist in the scenario, found no \"{}\"",
            canonical_key(walked)
        )
    };
    if rest.is_empty() {
        return match (node, first) {
            (Value::Table(t), Segment::Key(k)) => {
                t.insert(k.clone(), value.clone());
                Ok(())
            }
            (Value::Array(a), Segment::Index(i)) if *i < a.len() => {
                a[*i] = value.clone();
                Ok(())
            }
            _ => Err(missing(walked)),
        };
    }
    let child = match (node, first) {
        (Value::Table(t), Segment::Key(k)) => t.get_mut(k),
        (Value::Array(a), Segment::Index(i)) => a.get_mut(*i),
        _ => None,
    };
    match child {
        Some(child) => set_at(child, rest, value, walked),
        None => Err(missing(walked)),
    }
}

fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let bad = || {
        format!(
            "expected a key path of names and indices (such as graph.transitions[2].rate_per_h), found \"{path}\""
        )
    };
    if path.is_empty() {
        return Err(bad());
    }
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        let is_index = name.bytes().all(|b| b.is_ascii_digit()) && !segments.is_empty();
        match (is_index, name.parse::<usize>()) {
            (true, Ok(index)) => segments.push(Segment::Index(index)),
            _ if valid_key(name) => segments.push(Segment::Key(name.to_string())),
            _ => return Err(bad()),
        }
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(bad)?;
            let index = rest[1..close].parse::<usize>().map_err(|_| bad())?;
            segments.push(Segment::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad());
            }
        }
    }
    Ok(segments)
}

fn valid_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn canonical_key(segments: &[Segment]) -> String {
    let mut key = String::new();
    for segment in segments {
        match segment {
            Segment::Key(k) => {
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(k);
            }
            Segment::Index(i) => key.push_str(&format!("[{i}]")),
        }
    }
    key
}

fn parse_value(raw: &str) -> Value {
    format!("value = {raw}")
        .parse::<Table>()
        .ok()
        .and_then(|mut t| t.remove("value"))
        .unwrap_or_else(|| Value::String(raw.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Table {
        r#"
            name = "x"
            [run]
            cells = 10
            [[graph.transitions]]
            from = "a"
            rate_per_h = 1.0
        "#
        .parse()
        .unwrap()
    }

    #[test]
    fn values_are_read_as_toml_and_fall_back_to_strings() {
        assert_eq!(parse_value("5000"), Value::Integer(5000));
        assert_eq!(parse_value("1e6"), Value::Float(1e6));
        assert_eq!(parse_value("trial"), Value::String("trial".into()));
        assert_eq!(parse_value("\"a b\""), Value::String("a b".into()));
    }

    #[test]
    fn paths_reach_tables_and_array_elements() {
        let mut table = scenario();
        Override::parse("run.cells=5000")
            .unwrap()
            .apply(&mut table)
            .unwrap();
        Override::parse("graph.transitions[0].rate_per_h=2.5")
            .unwrap()
            .apply(&mut table)
            .unwrap();
        Override::parse("graph.transitions.0.from=b")
            .unwrap()
            .apply(&mut table)
            .unwrap();
        assert_eq!(table["run"]["cells"], Value::Integer(5000));
        assert_eq!(
            table["graph"]["transitions"][0]["rate_per_h"],
            Value::Float(2.5)
        );
        assert_eq!(
            table["graph"]["transitions"][0]["from"],
            Value::String("b".into())
        );
    }

    #[test]
    fn bad_assignments_and_paths_are_explained() {
        assert!(
            Override::parse("run.cells")
                .unwrap_err()
                .contains("key.path=value")
        );
        assert!(Override::parse("run..cells=1").is_err());
        let err = Override::parse("runn.cells=5")
            .unwrap()
            .apply(&mut scenario())
            .unwrap_err();
        assert!(err.contains("no \"runn\""), "{err}");
        let err = Override::parse("graph.transitions[3].from=a")
            .unwrap()
            .apply(&mut scenario())
            .unwrap_err();
        assert!(err.contains("graph.transitions[3]"), "{err}");
    }
}
