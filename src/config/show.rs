//! The property table as text (`rd_kafka_conf_properties_show()`), in the
//! same Markdown layout as librdkafka's CONFIGURATION.md so tools that read
//! one can read the other.

use std::io::{self, Write};

use super::properties::{
    self, Importance, Kind, Property, Role, Scope, DEPRECATED, EXPERIMENTAL, NOT_ACTED_ON,
};
use super::value::{flag_names, format_g};

pub fn properties_show(out: &mut impl Write) -> io::Result<()> {
    for (title, scope) in [("Global", Scope::Global), ("Topic", Scope::Topic)] {
        writeln!(out, "## {title} configuration properties\n")?;
        write_table(
            out,
            scope,
            properties::table(scope).iter().filter(|p| !p.is_hidden()),
        )?;
        writeln!(out, "\n")?;
    }
    writeln!(out, "{LEGEND}")
}

const LEGEND: &str = "### C/P legend: C = Consumer, P = Producer, * = both";

/// The committed `CONFIGURATION.md`: librdkafka's layout (a title, then
/// exactly what [`properties_show`] prints), followed by the hidden
/// properties that `rd_kafka_conf_properties_show()` leaves out but an
/// application may still set, among them our embedded mock cluster's.
pub fn configuration_md(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "# Configuration properties\n")?;
    writeln!(
        out,
        "Generated from the property table in `src/config/properties.rs` (the same \
         text `rd_kafka_conf_properties_show()` prints); do not edit by hand. After \
         changing the table, regenerate it with \
         `FERROKAFKA_BLESS=1 cargo test --release --test configuration_doc`.\n\n\
         Names, scopes, ranges and defaults are librdkafka 2.0.2's. Where this \
         library behaves differently, the description says so: OpenSSL-only \
         settings are refused when a client is created (TLS is done with rustls), \
         the SASL mechanism GSSAPI and the OIDC login method are refused, and \
         properties marked *Accepted, not acted on by this library* are stored and reported by \
         `rd_kafka_conf_get()` and dumps but change nothing yet.\n"
    )?;
    properties_show(out)?;
    writeln!(out, "\n\n## Hidden properties\n")?;
    writeln!(
        out,
        "Left out of `rd_kafka_conf_properties_show()`, as librdkafka leaves them out, \
         but accepted by `rd_kafka_conf_set()`. The `test.mock.*` properties start \
         this library's embedded mock cluster; those marked *ours* do not exist in \
         librdkafka.\n"
    )?;
    for (title, scope) in [("Global", Scope::Global), ("Topic", Scope::Topic)] {
        let hidden: Vec<&Property> = properties::table(scope)
            .iter()
            .filter(|p| p.is_hidden())
            .collect();
        if hidden.is_empty() {
            continue;
        }
        writeln!(out, "### {title}\n")?;
        write_table(out, scope, hidden.into_iter())?;
        writeln!(out)?;
    }
    Ok(())
}

fn write_table<'a>(
    out: &mut impl Write,
    scope: Scope,
    props: impl Iterator<Item = &'a Property>,
) -> io::Result<()> {
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
    for prop in props {
        writeln!(out, "{}", row(scope, prop))?;
    }
    Ok(())
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
    if target.flags & NOT_ACTED_ON != 0 {
        description.push_str(" *Accepted, not acted on by this library.*");
    }
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
