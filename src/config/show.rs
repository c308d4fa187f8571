//! The property table as text (`rd_kafka_conf_properties_show()`), in the
//! same Markdown layout as librdkafka's CONFIGURATION.md so tools that read
//! one can read the other.

use std::io::{self, Write};

use super::properties::{self, Importance, Kind, Property, Role, Scope, DEPRECATED, EXPERIMENTAL};
use super::value::{flag_names, format_g};

pub fn properties_show(out: &mut impl Write) -> io::Result<()> {
    for (title, scope) in [("Global", Scope::Global), ("Topic", Scope::Topic)] {
        writeln!(out, "## {title} configuration properties\n")?;
        writeln!(
            out,
            "{:<40} | C/P | {:<15} | {:>13} | {:<10} | {:<25}",
            "Property", "Range", "Default", "Importance", "Description"
        )?;
        writeln!(
            out,
            "{}|-----|{}|{}:|------------| {}",
            "-".repeat(41),
            "-".repeat(17),
            "-".repeat(14),
            "-".repeat(26)
        )?;
        for prop in properties::table(scope).iter().filter(|p| !p.is_hidden()) {
            writeln!(out, "{}", row(scope, prop))?;
        }
        writeln!(out, "\n")?;
    }
    writeln!(out, "### C/P legend: C = Consumer, P = Producer, * = both")
}

/// One table line. Aliases show their target's range, default and type.
pub(crate) fn row(scope: Scope, prop: &Property) -> String {
    let (target, alias_of) = match prop.kind {
        Kind::Alias { target } => match properties::resolve(scope, target) {
            Some((_, target_prop)) => (target_prop, Some(target)),
            None => (prop, None),
        },
        _ => (prop, None),
    };
    let role = match prop.role {
        Role::Both => "*",
        Role::Producer => "P",
        Role::Consumer => "C",
    };
    let importance = match prop.importance {
        Importance::Low => "low",
        Importance::Medium => "medium",
        Importance::High => "high",
    };
    let mut description = String::new();
    if prop.flags & EXPERIMENTAL != 0 {
        description.push_str("**EXPERIMENTAL**: subject to change or removal. ");
    }
    if prop.flags & DEPRECATED != 0 {
        description.push_str("**DEPRECATED** ");
    }
    if let Some(target) = alias_of {
        description.push_str(&format!("Alias for `{target}`: "));
    }
    description.push_str(target.description);
    description.push_str(&format!(" <br>*Type: {}*", type_name(target)));
    format!(
        "{:<40} |  {}  | {:<15} | {:>13} | {:<10} | {}",
        prop.name,
        role,
        range(target),
        default(target),
        importance,
        description
    )
}

fn range(prop: &Property) -> String {
    match prop.kind {
        Kind::Int { min, max, .. } => format!("{min} .. {max}"),
        Kind::Float { min, max, .. } => format!("{} .. {}", format_g(min), format_g(max)),
        Kind::Bool { .. } => "true, false".to_string(),
        Kind::Enum { values, .. } => values
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", "),
        // A fixed feature set has no range to choose from; its default
        // column already says what is there.
        Kind::Flags {
            check_only: true, ..
        } => String::new(),
        Kind::Flags { names, .. } => names.join(", "),
        _ => String::new(),
    }
}

fn default(prop: &Property) -> String {
    match prop.kind {
        Kind::Str { default, .. } => default.unwrap_or("").replace('|', "\\|"),
        Kind::Int { default, .. } => default.to_string(),
        Kind::Float { default, .. } => format_g(default),
        Kind::Bool { default } => default.to_string(),
        Kind::Enum { values, default } => values
            .iter()
            .find(|(_, v)| *v == default)
            .map(|(name, _)| name.to_string())
            .unwrap_or_default(),
        Kind::Flags { names, default, .. } => flag_names(names, default).join(", "),
        _ => String::new(),
    }
}

fn type_name(prop: &Property) -> &'static str {
    match prop.kind {
        Kind::Str {
            style: properties::StrKind::PatternList,
            ..
        } => "pattern list",
        Kind::Str { .. } => "string",
        Kind::Int { .. } => "integer",
        Kind::Float { .. } => "float",
        Kind::Bool { .. } => "boolean",
        Kind::Enum { .. } => "enum value",
        Kind::Flags { .. } => "CSV flags",
        Kind::Pointer | Kind::Internal | Kind::Unsupported { .. } | Kind::Alias { .. } => {
            "see dedicated API"
        }
    }
}
