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

pub mod configs;
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

    /// Queues the honest result of a call this library does not implement.
    pub fn admin_not_implemented(&self, op: AdminOp, options: &AdminOptions, reply: Arc<Queue>) {
        let mut result = AdminResult::not_implemented(op);
        result.opaque = options.opaque;
        reply.push(Op::Admin(Box::new(result)));
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
