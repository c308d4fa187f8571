//! The cluster's ACLs (CreateAcls, DescribeAcls, DeleteAcls): a set of
//! bindings with Kafka's validation and filter matching. The mock stores
//! them only; it does not authorize requests with them.

use crate::protocol::messages::{AclBinding, AclFilter};
use std::collections::BTreeSet;

// Kafka's numbering (librdkafka's enums use the same values).
const ANY: i8 = 1;
const PATTERN_MATCH: i8 = 2;
const PATTERN_LITERAL: i8 = 3;
const PATTERN_PREFIXED: i8 = 4;
const WILDCARD: &str = "*";

/// Resource types a binding may name: TOPIC .. USER.
fn concrete_resource_type(t: i8) -> bool {
    (2..=7).contains(&t)
}

/// Operations a binding may name: ALL .. DESCRIBE_TOKENS.
fn concrete_operation(op: i8) -> bool {
    (2..=14).contains(&op)
}

/// DENY or ALLOW.
fn concrete_permission(p: i8) -> bool {
    (2..=3).contains(&p)
}

/// Why Kafka would refuse to create `b` (answered as INVALID_REQUEST).
pub fn binding_problem(b: &AclBinding) -> Option<&'static str> {
    if !concrete_resource_type(b.resource_type) {
        Some("Invalid resource type")
    } else if !matches!(b.pattern_type, PATTERN_LITERAL | PATTERN_PREFIXED) {
        Some("Invalid resource pattern type")
    } else if b.resource_name.is_empty() {
        Some("Resource name should not be empty")
    } else if !concrete_operation(b.operation) {
        Some("Invalid operation")
    } else if !concrete_permission(b.permission_type) {
        Some("Invalid permission type")
    } else if !b
        .principal
        .split_once(':')
        .is_some_and(|(t, n)| !t.is_empty() && !n.is_empty())
    {
        Some("Invalid principal: expected TYPE:NAME")
    } else {
        None
    }
}

/// Why Kafka would refuse filter `f` (an UNKNOWN or out-of-range element).
pub fn filter_problem(f: &AclFilter) -> Option<&'static str> {
    let known = |v: i8, concrete: fn(i8) -> bool| v == ANY || concrete(v);
    if !known(f.resource_type, concrete_resource_type)
        || !(ANY..=PATTERN_PREFIXED).contains(&f.pattern_type)
        || !known(f.operation, concrete_operation)
        || !known(f.permission_type, concrete_permission)
    {
        Some("The filter contains an unknown element")
    } else {
        None
    }
}

/// Kafka's `AclBindingFilter.matches`.
pub fn matches(f: &AclFilter, b: &AclBinding) -> bool {
    let resource_type = f.resource_type == ANY || f.resource_type == b.resource_type;
    let pattern_type =
        matches!(f.pattern_type, ANY | PATTERN_MATCH) || f.pattern_type == b.pattern_type;
    let name = match &f.resource_name {
        None => true,
        Some(n) if f.pattern_type == ANY || f.pattern_type == b.pattern_type => {
            *n == b.resource_name
        }
        Some(n) => match b.pattern_type {
            PATTERN_LITERAL => *n == b.resource_name || b.resource_name == WILDCARD,
            PATTERN_PREFIXED => n.starts_with(&b.resource_name),
            _ => false,
        },
    };
    let entry = f.principal.as_ref().map_or(true, |p| *p == b.principal)
        && f.host.as_ref().map_or(true, |h| *h == b.host)
        && (f.operation == ANY || f.operation == b.operation)
        && (f.permission_type == ANY || f.permission_type == b.permission_type);
    resource_type && pattern_type && name && entry
}

#[derive(Debug, Default)]
pub struct AclStore {
    bindings: BTreeSet<AclBinding>,
}

impl AclStore {
    /// Adds `b` (creating an existing binding again is no error, as in Kafka).
    pub fn create(&mut self, b: AclBinding) -> Result<(), &'static str> {
        if let Some(problem) = binding_problem(&b) {
            return Err(problem);
        }
        self.bindings.insert(b);
        Ok(())
    }

    /// The bindings `f` matches, in a stable order.
    pub fn describe(&self, f: &AclFilter) -> Vec<AclBinding> {
        self.bindings
            .iter()
            .filter(|b| matches(f, b))
            .cloned()
            .collect()
    }

    /// Removes and returns the bindings `f` matches.
    pub fn delete(&mut self, f: &AclFilter) -> Vec<AclBinding> {
        let gone = self.describe(f);
        for b in &gone {
            self.bindings.remove(b);
        }
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(resource_type: i8, name: &str, pattern: i8, principal: &str) -> AclBinding {
        AclBinding {
            resource_type,
            resource_name: name.into(),
            pattern_type: pattern,
            principal: principal.into(),
            host: "*".into(),
            operation: 3,
            permission_type: 3,
        }
    }

    #[test]
    fn create_validates_and_is_idempotent() {
        let mut s = AclStore::default();
        assert!(s.create(binding(2, "t", PATTERN_LITERAL, "User:a")).is_ok());
        assert!(s.create(binding(2, "t", PATTERN_LITERAL, "User:a")).is_ok());
        assert_eq!(s.describe(&AclFilter::default()).len(), 1);
        assert!(s
            .create(binding(ANY, "t", PATTERN_LITERAL, "User:a"))
            .is_err());
        assert!(s.create(binding(2, "t", PATTERN_MATCH, "User:a")).is_err());
        assert!(s.create(binding(2, "", PATTERN_LITERAL, "User:a")).is_err());
        assert!(s.create(binding(2, "t", PATTERN_LITERAL, "alice")).is_err());
        let mut any_op = binding(2, "t", PATTERN_LITERAL, "User:a");
        any_op.operation = ANY;
        assert!(s.create(any_op).is_err());
    }

    #[test]
    fn filters_match_as_kafka_does() {
        let mut s = AclStore::default();
        for b in [
            binding(2, "orders", PATTERN_LITERAL, "User:a"),
            binding(2, "*", PATTERN_LITERAL, "User:b"),
            binding(2, "ord", PATTERN_PREFIXED, "User:c"),
            binding(3, "orders", PATTERN_LITERAL, "User:a"),
        ] {
            s.create(b).unwrap();
        }
        let by = |resource_type, name: Option<&str>, pattern_type| AclFilter {
            resource_type,
            resource_name: name.map(str::to_string),
            pattern_type,
            ..AclFilter::default()
        };
        assert_eq!(s.describe(&by(ANY, None, ANY)).len(), 4);
        assert_eq!(s.describe(&by(2, None, ANY)).len(), 3);
        assert_eq!(s.describe(&by(2, Some("orders"), PATTERN_LITERAL)).len(), 1);
        // MATCH: the literal, the wildcard and the matching prefix.
        assert_eq!(s.describe(&by(2, Some("orders"), PATTERN_MATCH)).len(), 3);
        assert_eq!(s.describe(&by(2, Some("ord"), PATTERN_PREFIXED)).len(), 1);
        let principal = AclFilter {
            principal: Some("User:a".into()),
            pattern_type: ANY,
            ..AclFilter::default()
        };
        assert_eq!(s.delete(&principal).len(), 2);
        assert_eq!(s.describe(&by(ANY, None, ANY)).len(), 2);
        assert!(filter_problem(&by(0, None, ANY)).is_some());
        assert!(filter_problem(&by(ANY, None, ANY)).is_none());
    }
}
