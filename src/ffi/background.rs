//! The background queue (`rd_kafka_queue_get_background`): a queue served
//! by a library thread that hands each event to `background_event_cb`, as
//! librdkafka's background thread does. Made on first use; stopped and
//! joined by `rd_kafka_destroy` (after the admin workers, so their results
//! are still served).

use crate::client::queue::Queue;
use crate::ffi::event::Event;
use crate::ffi::kafka::{handle, KafkaHandle};
use crate::ffi::types::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the thread looks at its stop flag.
const TICK: Duration = Duration::from_millis(100);

pub struct BackgroundQueue {
    pub queue: Arc<Queue>,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// The client's background queue, started now if it was not; `None` if no
/// thread can be started.
pub fn get_or_start(rk: *mut rd_kafka_t, h: &KafkaHandle) -> Option<Arc<Queue>> {
    let mut slot = h.background.lock();
    if let Some(bg) = slot.as_ref() {
        return Some(bg.queue.clone());
    }
    let queue = Queue::new();
    let stop = Arc::new(AtomicBool::new(false));
    let (served, stop_seen) = (queue.clone(), stop.clone());
    // The handle outlives the thread: rd_kafka_destroy joins it first.
    let rk_addr = rk as usize;
    let thread = std::thread::Builder::new()
        .name("rdk:background".to_string())
        .spawn(move || {
            let rk = rk_addr as *mut rd_kafka_t;
            loop {
                let op = served.pop(Some(TICK));
                // Ops still queued at stop are served before the thread ends.
                if op.is_none() && stop_seen.load(Ordering::Acquire) {
                    break;
                }
                let Some(op) = op else { continue };
                // SAFETY: see above.
                let Some(h) = (unsafe { handle(rk) }) else {
                    continue;
                };
                let cb = h.callbacks.background_event_cb;
                let opaque = h.callbacks.opaque;
                // SAFETY: `rk` is the handle `h` was found by.
                let ev = unsafe { Event::from_op(op, rk, h) };
                if ev.is_null() {
                    continue;
                }
                match cb {
                    // The application destroys the event, as documented.
                    Some(f) => unsafe { f(rk, ev, opaque) },
                    None => unsafe { crate::ffi::event::rd_kafka_event_destroy(ev) },
                }
            }
        })
        .ok()?;
    *slot = Some(BackgroundQueue {
        queue: queue.clone(),
        stop,
        thread,
    });
    Some(queue)
}

/// Stops and joins the background thread, if any (rd_kafka_destroy).
pub fn stop(h: &KafkaHandle) {
    if let Some(bg) = h.background.lock().take() {
        bg.stop.store(true, Ordering::Release);
        bg.queue.wake();
        let _ = bg.thread.join();
    }
}
