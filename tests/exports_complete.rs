//! Every function librdkafka 2.0.2's `rdkafka.h` declares must be exported
//! by our library: the header (Debian's, preprocessed by `cc -E`) is
//! compared with `nm -D --defined-only` of the fresh `libferrokafka.so`.
//! A gap fails the test unless the function is in `NOT_YET_EXPORTED`, an
//! explicit list that may only shrink: a listed function that is exported
//! fails the test too, so the list is pruned as work lands.

mod support;

use std::collections::BTreeSet;
use std::process::Command;
use support::*;

/// Functions of rdkafka.h not exported yet, each group with who brings it.
const NOT_YET_EXPORTED: &[&str] = &[
    // The Admin API: branches `admin` and `admin2` (issue 14); the lead
    // prunes these at merge.
    "rd_kafka_AclBindingFilter_new",
    "rd_kafka_AclBinding_destroy",
    "rd_kafka_AclBinding_destroy_array",
    "rd_kafka_AclBinding_error",
    "rd_kafka_AclBinding_host",
    "rd_kafka_AclBinding_name",
    "rd_kafka_AclBinding_new",
    "rd_kafka_AclBinding_operation",
    "rd_kafka_AclBinding_permission_type",
    "rd_kafka_AclBinding_principal",
    "rd_kafka_AclBinding_resource_pattern_type",
    "rd_kafka_AclBinding_restype",
    "rd_kafka_AclOperation_name",
    "rd_kafka_AclPermissionType_name",
    "rd_kafka_AdminOptions_destroy",
    "rd_kafka_AdminOptions_new",
    "rd_kafka_AdminOptions_set_broker",
    "rd_kafka_AdminOptions_set_match_consumer_group_states",
    "rd_kafka_AdminOptions_set_opaque",
    "rd_kafka_AdminOptions_set_operation_timeout",
    "rd_kafka_AdminOptions_set_request_timeout",
    "rd_kafka_AdminOptions_set_require_stable_offsets",
    "rd_kafka_AdminOptions_set_validate_only",
    "rd_kafka_AlterConfigs",
    "rd_kafka_AlterConfigs_result_resources",
    "rd_kafka_AlterConsumerGroupOffsets",
    "rd_kafka_AlterConsumerGroupOffsets_destroy",
    "rd_kafka_AlterConsumerGroupOffsets_destroy_array",
    "rd_kafka_AlterConsumerGroupOffsets_new",
    "rd_kafka_AlterConsumerGroupOffsets_result_groups",
    "rd_kafka_ConfigEntry_is_default",
    "rd_kafka_ConfigEntry_is_read_only",
    "rd_kafka_ConfigEntry_is_sensitive",
    "rd_kafka_ConfigEntry_is_synonym",
    "rd_kafka_ConfigEntry_name",
    "rd_kafka_ConfigEntry_source",
    "rd_kafka_ConfigEntry_synonyms",
    "rd_kafka_ConfigEntry_value",
    "rd_kafka_ConfigResource_configs",
    "rd_kafka_ConfigResource_destroy",
    "rd_kafka_ConfigResource_destroy_array",
    "rd_kafka_ConfigResource_error",
    "rd_kafka_ConfigResource_error_string",
    "rd_kafka_ConfigResource_name",
    "rd_kafka_ConfigResource_new",
    "rd_kafka_ConfigResource_set_config",
    "rd_kafka_ConfigResource_type",
    "rd_kafka_ConfigSource_name",
    "rd_kafka_ConsumerGroupDescription_coordinator",
    "rd_kafka_ConsumerGroupDescription_error",
    "rd_kafka_ConsumerGroupDescription_group_id",
    "rd_kafka_ConsumerGroupDescription_is_simple_consumer_group",
    "rd_kafka_ConsumerGroupDescription_member",
    "rd_kafka_ConsumerGroupDescription_member_count",
    "rd_kafka_ConsumerGroupDescription_partition_assignor",
    "rd_kafka_ConsumerGroupDescription_state",
    "rd_kafka_ConsumerGroupListing_group_id",
    "rd_kafka_ConsumerGroupListing_is_simple_consumer_group",
    "rd_kafka_ConsumerGroupListing_state",
    "rd_kafka_CreateAcls",
    "rd_kafka_CreateAcls_result_acls",
    "rd_kafka_CreatePartitions",
    "rd_kafka_CreatePartitions_result_topics",
    "rd_kafka_CreateTopics",
    "rd_kafka_CreateTopics_result_topics",
    "rd_kafka_DeleteAcls",
    "rd_kafka_DeleteAcls_result_response_error",
    "rd_kafka_DeleteAcls_result_response_matching_acls",
    "rd_kafka_DeleteAcls_result_responses",
    "rd_kafka_DeleteConsumerGroupOffsets",
    "rd_kafka_DeleteConsumerGroupOffsets_destroy",
    "rd_kafka_DeleteConsumerGroupOffsets_destroy_array",
    "rd_kafka_DeleteConsumerGroupOffsets_new",
    "rd_kafka_DeleteConsumerGroupOffsets_result_groups",
    "rd_kafka_DeleteGroup_destroy",
    "rd_kafka_DeleteGroup_destroy_array",
    "rd_kafka_DeleteGroup_new",
    "rd_kafka_DeleteGroups",
    "rd_kafka_DeleteGroups_result_groups",
    "rd_kafka_DeleteRecords",
    "rd_kafka_DeleteRecords_destroy",
    "rd_kafka_DeleteRecords_destroy_array",
    "rd_kafka_DeleteRecords_new",
    "rd_kafka_DeleteRecords_result_offsets",
    "rd_kafka_DeleteTopic_destroy",
    "rd_kafka_DeleteTopic_destroy_array",
    "rd_kafka_DeleteTopic_new",
    "rd_kafka_DeleteTopics",
    "rd_kafka_DeleteTopics_result_topics",
    "rd_kafka_DescribeAcls",
    "rd_kafka_DescribeAcls_result_acls",
    "rd_kafka_DescribeConfigs",
    "rd_kafka_DescribeConfigs_result_resources",
    "rd_kafka_DescribeConsumerGroups",
    "rd_kafka_DescribeConsumerGroups_result_groups",
    "rd_kafka_ListConsumerGroupOffsets",
    "rd_kafka_ListConsumerGroupOffsets_destroy",
    "rd_kafka_ListConsumerGroupOffsets_destroy_array",
    "rd_kafka_ListConsumerGroupOffsets_new",
    "rd_kafka_ListConsumerGroupOffsets_result_groups",
    "rd_kafka_ListConsumerGroups",
    "rd_kafka_ListConsumerGroups_result_errors",
    "rd_kafka_ListConsumerGroups_result_valid",
    "rd_kafka_MemberAssignment_partitions",
    "rd_kafka_MemberDescription_assignment",
    "rd_kafka_MemberDescription_client_id",
    "rd_kafka_MemberDescription_consumer_id",
    "rd_kafka_MemberDescription_group_instance_id",
    "rd_kafka_MemberDescription_host",
    "rd_kafka_NewPartitions_destroy",
    "rd_kafka_NewPartitions_destroy_array",
    "rd_kafka_NewPartitions_new",
    "rd_kafka_NewPartitions_set_replica_assignment",
    "rd_kafka_NewTopic_destroy",
    "rd_kafka_NewTopic_destroy_array",
    "rd_kafka_NewTopic_new",
    "rd_kafka_NewTopic_set_config",
    "rd_kafka_NewTopic_set_replica_assignment",
    "rd_kafka_Node_host",
    "rd_kafka_Node_id",
    "rd_kafka_Node_port",
    "rd_kafka_ResourcePatternType_name",
    "rd_kafka_ResourceType_name",
    "rd_kafka_acl_result_error",
    "rd_kafka_consumer_group_state_code",
    "rd_kafka_consumer_group_state_name",
    "rd_kafka_event_AlterConfigs_result",
    "rd_kafka_event_AlterConsumerGroupOffsets_result",
    "rd_kafka_event_CreateAcls_result",
    "rd_kafka_event_CreatePartitions_result",
    "rd_kafka_event_CreateTopics_result",
    "rd_kafka_event_DeleteAcls_result",
    "rd_kafka_event_DeleteConsumerGroupOffsets_result",
    "rd_kafka_event_DeleteGroups_result",
    "rd_kafka_event_DeleteRecords_result",
    "rd_kafka_event_DeleteTopics_result",
    "rd_kafka_event_DescribeAcls_result",
    "rd_kafka_event_DescribeConfigs_result",
    "rd_kafka_event_DescribeConsumerGroups_result",
    "rd_kafka_event_ListConsumerGroupOffsets_result",
    "rd_kafka_event_ListConsumerGroups_result",
    "rd_kafka_group_result_error",
    "rd_kafka_group_result_name",
    "rd_kafka_group_result_partitions",
    "rd_kafka_topic_result_error",
    "rd_kafka_topic_result_error_string",
    "rd_kafka_topic_result_name",
    // Groups listing: branches `admin`/`admin2` (issue 14).
    "rd_kafka_group_list_destroy",
    "rd_kafka_list_groups",
    // Idempotence engineer (issue 14).
    "rd_kafka_test_fatal_error",
];

/// The functions a preprocessed header declares: each top-level
/// declaration (split at `;` outside braces) that is not a typedef, named
/// by its first `rd_kafka_*` identifier followed by `(` once attributes are
/// removed.
fn declared_functions(preprocessed: &str) -> BTreeSet<String> {
    let text: String = preprocessed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let mut declarations = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ';' if depth == 0 => {
                declarations.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let mut names = BTreeSet::new();
    for decl in declarations {
        let decl = strip_attributes(decl.trim());
        if decl.starts_with("typedef") || decl.contains('{') {
            continue;
        }
        if let Some(name) = first_called_identifier(&decl) {
            names.insert(name);
        }
    }
    names
}

/// Removes every `__attribute__((...))`.
fn strip_attributes(decl: &str) -> String {
    let mut out = String::new();
    let mut rest = decl;
    while let Some(at) = rest.find("__attribute__") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find('(') else { break };
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The first `rd_kafka_*` identifier directly followed by `(`.
fn first_called_identifier(decl: &str) -> Option<String> {
    let bytes = decl.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if is_ident(bytes[i]) && (i == 0 || !is_ident(bytes[i - 1])) {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let word = &decl[start..i];
            let next = decl[i..].trim_start();
            if word.starts_with("rd_kafka_") && next.starts_with('(') {
                return Some(word.to_string());
            }
        } else {
            i += 1;
        }
    }
    None
}

fn exported_functions() -> BTreeSet<String> {
    let lib = lib_dir().join("libferrokafka.so");
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&lib)
        .output()
        .expect("run nm");
    assert!(out.status.success(), "nm failed on {}", lib.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .filter(|s| s.starts_with("rd_kafka_"))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_function_of_librdkafka_2_0_2_is_exported() {
    let out = Command::new("cc")
        .args(["-E", "/usr/include/librdkafka/rdkafka.h"])
        .output()
        .expect("run cc -E (Debian's librdkafka-dev is required)");
    assert!(out.status.success(), "cc -E failed");
    let declared = declared_functions(&String::from_utf8_lossy(&out.stdout));
    // librdkafka 2.0.2's rdkafka.h declares 382 functions; a parse that
    // finds far fewer is broken, not complete.
    assert_eq!(
        declared.len(),
        382,
        "header parse found {} functions",
        declared.len()
    );
    let exported = exported_functions();
    let allowed: BTreeSet<&str> = NOT_YET_EXPORTED.iter().copied().collect();
    let missing: Vec<&String> = declared
        .iter()
        .filter(|f| !exported.contains(*f) && !allowed.contains(f.as_str()))
        .collect();
    let stale: Vec<&&str> = NOT_YET_EXPORTED
        .iter()
        .filter(|f| exported.contains(**f) || !declared.contains(**f))
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "declared by rdkafka.h but not exported: {missing:?}\n         in NOT_YET_EXPORTED but exported (or not declared) - remove them: {stale:?}"
    );
}
