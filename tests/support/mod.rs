//! Shared helpers for integration tests: locating our build outputs,
//! compiling C/C++ programs against ferrokafka or the system librdkafka, and
//! starting real peers (Tansu, librdkafka's mock cluster, confluent-kafka
//! scripts, kcat) whose lifetime and every wait are bounded.
//!
//! Use from a test file with `mod support;`.
//!
//! Ownership rule: a peer lives exactly as long as the value returned for it;
//! dropping it (also while a test panics) kills the process. Do not park peers
//! in `static`s: children are tied to the thread that spawned them
//! (`PR_SET_PDEATHSIG`) so nothing outlives a crashed test run.
#![allow(dead_code, unused_imports)]

mod cbuild;
mod cprog;
mod driven;
mod golden;
mod hostile;
mod kcat;
mod mock;
mod paths;
mod process;
mod python;
mod raw;
mod rng;
mod sasl_client;
mod stunnel;
mod tansu;
mod tansu_scram;
mod tls;
mod valgrind;
mod waiting;

pub use cbuild::{assert_loads_intended, build_c, ldd_librdkafka, sanitize_requested, Against};
pub use cprog::{c_program, must_c, produce_verify, run_c, summary_field};
pub use driven::{consume_verify, field, producer_steps, run_driven, Driven, DrivenEnd};
pub use golden::compare_or_bless;
pub use hostile::{
    api, decode_fetch, metadata_v0_body, HostileBroker, HostileConn, KafkaRequest, CONSUMER_APIS,
};
pub use kcat::{kcat, kcat_on, kcat_with_input};
pub use mock::MockCluster;
pub use paths::{include_dir, lib_dir, peers_dir, repo_root, scratch_dir};
pub use process::{on_failure, run_with_timeout, ChildGuard, Finished, OnFailure};
pub use python::{
    expected_key, expected_value, python_consume, python_consume_group, python_peer_command,
    python_produce, python_read_to_end, read_all_records, run_python_consume,
    run_python_consume_until, run_python_consume_with, run_python_peer, ConsumeOpts, ConsumedMsg,
    ProduceOpts, ReadRecord,
};
pub use raw::{closed, connect, read_frame, recv, send};
pub use rng::SeededRng;
pub use sasl_client::{
    assert_every_message_timed_out, assert_sasl_client_valgrind_clean, our_sasl_mock,
    run_sasl_client, sasl_summary, str_refs,
};
pub use stunnel::{Stunnel, StunnelOpts};
pub use tansu::{free_port, tansu_binary, Tansu};
pub use tansu_scram::{tansu_scram_binary, ScramUser, TansuScram};
pub use tls::{TestPki, KEY_PASSWORD};
pub use valgrind::{
    assert_valgrind_clean, suppressed_blocks, valgrind_available, valgrind_command,
    VALGRIND_ERROR_EXIT,
};
pub use waiting::{complete_lines, touch, wait_until, TouchOnDrop};
