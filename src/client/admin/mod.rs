//! The Admin API's core (librdkafka's `rdkafka_admin.c`): options,
//! results, the shared request path and one worker thread per call; one
//! file per family of calls. The C layer (`ffi/admin/`) only converts
//! objects and calls [`Client`]'s `admin_*` methods below.
//!
//! Flow of a call: the application thread checks the arguments locally
//! (a bad argument fails the call at once with `_INVALID_ARG`, as a result
//! event, like librdkafka), then `AdminWorkers::spawn` runs the call's
//! request path on a worker, whose `AdminResult` is queued as `Op::Admin`
//! on the queue the application passed.

pub mod acls;
pub mod configs;
pub mod group_offsets;
pub mod groups;
pub mod options;
pub mod records;
pub mod request;
pub mod result;
pub mod topics;
pub mod worker;

use crate::client::queue::{Op, Queue};
use crate::client::topic_partition::TopicPartition;
use crate::client::Client;
use crate::error::ErrorCode;
use configs::ConfigResourceSpec;
use options::{AdminOp, AdminOptions};
use result::AdminResult;
use std::sync::Arc;
use std::time::Duration;
use topics::{NewPartitionsSpec, NewTopicSpec};
use worker::Control;

impl Client {
    /// `socket.timeout.ms`: the default of both admin timeouts.
    pub fn admin_default_timeout(&self) -> Duration {
        self.inner.settings.socket_timeout
    }

    /// Starts `job` for call `op`, or fails it at once when `local_check`
    /// (the call's argument checks) refuses the arguments.
    fn admin_start<F>(
        &self,
        op: AdminOp,
        options: &AdminOptions,
        reply: Arc<Queue>,
        local_check: Result<(), String>,
        job: F,
    ) where
        F: FnOnce(&Control) -> AdminResult + Send + 'static,
    {
        if let Err(reason) = local_check {
            let mut result =
                AdminResult::failed(op, ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, reason);
            result.opaque = options.opaque;
            reply.push(Op::Admin(Box::new(result)));
            return;
        }
        self.inner.admin.spawn(
            &self.inner,
            op,
            options.request_timeout(),
            options.opaque,
            reply,
            job,
        );
    }

    pub fn admin_create_topics(
        &self,
        topics: Vec<NewTopicSpec>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = topics::check_create_topics(&topics);
        self.admin_start(
            AdminOp::CreateTopics,
            &options.clone(),
            reply,
            check,
            move |ctl| topics::create_topics(ctl, &topics, &options),
        );
    }

    pub fn admin_delete_topics(
        &self,
        topics: Vec<String>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = topics::check_delete_topics(&topics);
        self.admin_start(
            AdminOp::DeleteTopics,
            &options.clone(),
            reply,
            check,
            move |ctl| topics::delete_topics(ctl, &topics, &options),
        );
    }

    pub fn admin_create_partitions(
        &self,
        parts: Vec<NewPartitionsSpec>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = topics::check_create_partitions(&parts);
        self.admin_start(
            AdminOp::CreatePartitions,
            &options.clone(),
            reply,
            check,
            move |ctl| topics::create_partitions(ctl, &parts, &options),
        );
    }

    /// DeleteRecords: exactly one set of partitions per call, as librdkafka.
    pub fn admin_delete_records(
        &self,
        mut requests: Vec<Vec<TopicPartition>>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let count = requests.len();
        let partitions = if count == 1 {
            requests.remove(0)
        } else {
            Vec::new()
        };
        let check = match count {
            1 => records::check_delete_records(&partitions),
            _ => Err("Exactly one DeleteRecords must be passed".to_string()),
        };
        self.admin_start(
            AdminOp::DeleteRecords,
            &options.clone(),
            reply,
            check,
            move |ctl| records::delete_records(ctl, &partitions, &options),
        );
    }

    pub fn admin_describe_configs(
        &self,
        resources: Vec<ConfigResourceSpec>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = configs::check_resources(&resources);
        self.admin_start(
            AdminOp::DescribeConfigs,
            &options.clone(),
            reply,
            check,
            move |ctl| configs::describe_configs(ctl, &resources, &options),
        );
    }

    pub fn admin_alter_configs(
        &self,
        resources: Vec<ConfigResourceSpec>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = configs::check_resources(&resources);
        self.admin_start(
            AdminOp::AlterConfigs,
            &options.clone(),
            reply,
            check,
            move |ctl| configs::alter_configs(ctl, &resources, &options),
        );
    }

    /// Ends every running admin call (`_DESTROY`) and joins the workers;
    /// `rd_kafka_destroy` calls it before stopping the background queue.
    pub fn admin_stop(&self) {
        self.inner.admin.stop();
    }
}

/// The group and ACL calls (`groups.rs`, `group_offsets.rs`, `acls.rs`).
impl Client {
    /// The legacy `rd_kafka_list_groups`, run on the calling thread.
    pub fn list_groups(
        &self,
        group: Option<&str>,
        timeout: Duration,
    ) -> Result<Vec<groups::LegacyGroup>, ErrorCode> {
        let ctl = Control::for_caller(self.inner.clone(), timeout);
        groups::legacy_list_groups(&ctl, group)
    }

    pub fn admin_delete_groups(
        &self,
        groups: Vec<String>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = groups::check_group_names(&groups, "delete");
        self.admin_start(AdminOp::DeleteGroups, &options, reply, check, move |ctl| {
            groups::delete_groups(ctl, &groups)
        });
    }

    pub fn admin_list_consumer_groups(&self, options: AdminOptions, reply: Arc<Queue>) {
        self.admin_start(
            AdminOp::ListConsumerGroups,
            &options.clone(),
            reply,
            Ok(()),
            move |ctl| groups::list_groups(ctl, &options),
        );
    }

    pub fn admin_describe_consumer_groups(
        &self,
        groups: Vec<String>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = groups::check_group_names(&groups, "describe");
        self.admin_start(
            AdminOp::DescribeConsumerGroups,
            &options,
            reply,
            check,
            move |ctl| groups::describe_groups(ctl, &groups),
        );
    }

    pub fn admin_list_consumer_group_offsets(
        &self,
        mut requests: Vec<group_offsets::GroupPartitions>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = group_offsets::check_one(&requests, "ListConsumerGroupOffsets", true);
        self.admin_start(
            AdminOp::ListConsumerGroupOffsets,
            &options.clone(),
            reply,
            check,
            move |ctl| group_offsets::list_offsets(ctl, &requests.remove(0), &options),
        );
    }

    pub fn admin_alter_consumer_group_offsets(
        &self,
        mut requests: Vec<group_offsets::GroupPartitions>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = group_offsets::check_one(&requests, "AlterConsumerGroupOffsets", false);
        self.admin_start(
            AdminOp::AlterConsumerGroupOffsets,
            &options,
            reply,
            check,
            move |ctl| group_offsets::alter_offsets(ctl, &requests.remove(0)),
        );
    }

    pub fn admin_delete_consumer_group_offsets(
        &self,
        mut requests: Vec<group_offsets::GroupPartitions>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = group_offsets::check_one(&requests, "DeleteConsumerGroupOffsets", false);
        self.admin_start(
            AdminOp::DeleteConsumerGroupOffsets,
            &options,
            reply,
            check,
            move |ctl| group_offsets::delete_offsets(ctl, &requests.remove(0)),
        );
    }

    pub fn admin_create_acls(
        &self,
        acls: Vec<acls::AclSpec>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = acls::check_create_acls(&acls);
        self.admin_start(
            AdminOp::CreateAcls,
            &options.clone(),
            reply,
            check,
            move |ctl| acls::create_acls(ctl, &acls, &options),
        );
    }

    pub fn admin_describe_acls(
        &self,
        filter: Option<acls::AclSpec>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let Some(filter) = filter else {
            let check = Err("No ACL binding filter to describe".to_string());
            self.admin_start(AdminOp::DescribeAcls, &options, reply, check, |_| {
                unreachable!("refused calls never run")
            });
            return;
        };
        self.admin_start(
            AdminOp::DescribeAcls,
            &options.clone(),
            reply,
            Ok(()),
            move |ctl| acls::describe_acls(ctl, &filter, &options),
        );
    }

    pub fn admin_delete_acls(
        &self,
        filters: Vec<acls::AclSpec>,
        options: AdminOptions,
        reply: Arc<Queue>,
    ) {
        let check = acls::check_delete_acls(&filters);
        self.admin_start(
            AdminOp::DeleteAcls,
            &options.clone(),
            reply,
            check,
            move |ctl| acls::delete_acls(ctl, &filters, &options),
        );
    }
}
