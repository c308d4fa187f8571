//! One worker thread per Admin call: it runs the call's blocking request
//! path (`request.rs`) and queues the result on the application's queue.
//!
//! Why threads and not the main thread's timers: a call is a short
//! sequence of blocking round trips (metadata, then the request, then
//! retries), which reads as straight-line code on its own thread; the
//! main thread and broker threads are never blocked by it.
//!
//! Lifetime: every worker is registered in [`AdminWorkers`] (in
//! `ClientInner`) and joined by [`AdminWorkers::stop`], which the client's
//! destroy calls before the broker threads go: a worker sees the stop
//! flag within [`Control::STOP_CHECK`], and its call ends with `_DESTROY`.

use crate::client::admin::options::AdminOp;
use crate::client::admin::result::AdminResult;
use crate::client::queue::{Op, Queue};
use crate::client::ClientInner;
use crate::error::ErrorCode;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The workers of one client.
#[derive(Default)]
pub struct AdminWorkers {
    stopping: AtomicBool,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl AdminWorkers {
    /// Runs `job` on a new worker and queues its result (with `opaque`) on
    /// `reply`. If no thread can be started, the result says so at once.
    pub fn spawn<F>(
        &self,
        client: &Arc<ClientInner>,
        op: AdminOp,
        timeout: Duration,
        opaque: usize,
        reply: Arc<Queue>,
        job: F,
    ) where
        F: FnOnce(&Control) -> AdminResult + Send + 'static,
    {
        let deliver = move |reply: &Queue, mut result: AdminResult| {
            result.opaque = opaque;
            reply.push(Op::Admin(Box::new(result)));
        };
        let mut threads = self.threads.lock();
        // Finished workers are reaped here, so the list stays short.
        threads.retain(|t| !t.is_finished());
        if self.stopping.load(Ordering::Acquire) {
            let result = AdminResult::failed(
                op,
                ErrorCode::RD_KAFKA_RESP_ERR__DESTROY,
                "Handle is terminating",
            );
            deliver(&reply, result);
            return;
        }
        let ctl = Control {
            client: client.clone(),
            deadline: Instant::now() + timeout,
        };
        let (job_tx, job_rx) = crossbeam_channel::bounded::<F>(1);
        let reply_in_thread = reply.clone();
        let spawned = std::thread::Builder::new()
            .name("rdk:admin".into())
            .spawn(move || {
                if let Ok(job) = job_rx.recv() {
                    let result = job(&ctl);
                    deliver(&reply_in_thread, result);
                }
            });
        match spawned {
            Ok(thread) => {
                let _ = job_tx.send(job);
                threads.push(thread);
            }
            Err(e) => {
                let result = AdminResult::failed(
                    op,
                    ErrorCode::RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE,
                    format!("Cannot start an admin worker thread: {e}"),
                );
                deliver(&reply, result);
            }
        }
    }

    /// Makes every running call end (`_DESTROY`) and joins the workers;
    /// later calls fail at once. Idempotent.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        let threads = std::mem::take(&mut *self.threads.lock());
        for thread in threads {
            let _ = thread.join();
        }
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }
}

/// What a running call knows of its situation: the client, its deadline,
/// whether the client is shutting down.
pub struct Control {
    client: Arc<ClientInner>,
    deadline: Instant,
}

impl Control {
    /// A control for a call run on the caller's own thread (the blocking
    /// `rd_kafka_list_groups`), with `timeout` to do it in.
    pub fn for_caller(client: Arc<ClientInner>, timeout: Duration) -> Control {
        Control {
            client,
            deadline: Instant::now() + timeout,
        }
    }

    /// How often a waiting worker looks at the stop flag.
    pub const STOP_CHECK: Duration = Duration::from_millis(100);

    pub fn client(&self) -> &Arc<ClientInner> {
        &self.client
    }

    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    pub fn stopped(&self) -> bool {
        self.client.admin.is_stopping() || self.client.is_terminating()
    }

    /// Sleeps `d` (cut to the deadline), waking early on stop.
    pub fn sleep(&self, d: Duration) {
        let until = Instant::now() + d.min(self.remaining());
        while !self.stopped() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Self::STOP_CHECK));
        }
    }
}
