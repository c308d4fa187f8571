/*
 * eos_pipeline: an exactly-once consume-transform-produce loop, the way
 * librdkafka's documentation describes one. A read_committed group member
 * reads IN; every message is copied (same key, value and partition) to OUT
 * inside a transaction; the input positions go into the same transaction
 * with rd_kafka_send_offsets_to_transaction() and the transaction commits
 * every BATCH messages (or when the input goes quiet). tests/eos_pipeline.rs
 * SIGKILLs it at random points and starts it again: whatever was not
 * committed must be aborted by the next instance's init_transactions() and
 * consumed again, so a read_committed reader of OUT sees each input once.
 *
 * usage: eos_pipeline BOOTSTRAP IN OUT GROUP TRANSACTIONAL_ID BATCH MAX_MS
 *
 * Prints "version <rd_kafka_version_str()>", "COMMITTED <n> <msgs>" after
 * each commit (the driver counts these to choose where to kill), "ABORTED
 * <reason>" after an abort, and at the end "done txns=T msgs=M". Exits 0
 * once the group's committed offsets on IN reached IN's high watermarks on
 * every partition; 3 on a fatal error; 4 after MAX_MS without getting there.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static rd_kafka_t *producer;
static int txn_open;
static int fatal_seen;

static long long now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_or_die(rd_kafka_conf_t *conf, const char *name, const char *value) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s=%s: %s\n", name, value, errstr);
                exit(2);
        }
}

/* An error object from a transaction call: fatal ends the program,
 * txn_requires_abort is reported to the caller (returns 1), anything else
 * is also "abort and redo" here, the simplest correct reaction. */
static int txn_failed(const char *what, rd_kafka_error_t *error) {
        if (!error)
                return 0;
        fprintf(stderr, "%s: %s (fatal=%d retriable=%d requires_abort=%d)\n", what,
                rd_kafka_error_string(error), rd_kafka_error_is_fatal(error),
                rd_kafka_error_is_retriable(error), rd_kafka_error_txn_requires_abort(error));
        if (rd_kafka_error_is_fatal(error))
                fatal_seen = 1;
        rd_kafka_error_destroy(error);
        return 1;
}

/* Moves the consumer back to the group's committed offsets: after an
 * abort, the messages of the aborted transaction must be read again. */
static void rewind_to_committed(rd_kafka_t *consumer) {
        rd_kafka_topic_partition_list_t *parts = NULL;
        rd_kafka_error_t *error;
        int i;
        if (rd_kafka_assignment(consumer, &parts) || !parts)
                return;
        if (parts->cnt > 0 && !rd_kafka_committed(consumer, parts, 10000)) {
                for (i = 0; i < parts->cnt; i++)
                        if (parts->elems[i].offset < 0)
                                parts->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
                error = rd_kafka_seek_partitions(consumer, parts, 10000);
                if (error) {
                        fprintf(stderr, "seek: %s\n", rd_kafka_error_string(error));
                        rd_kafka_error_destroy(error);
                }
        }
        rd_kafka_topic_partition_list_destroy(parts);
}

/* Aborts the open transaction; with `rewind`, the consumer goes back to
 * read its input again (a revoke needs no rewind: the next assignment
 * starts from the committed offsets anyway). */
static void abort_open_txn(rd_kafka_t *consumer, const char *reason, int rewind) {
        if (!txn_open)
                return;
        if (txn_failed("abort_transaction", rd_kafka_abort_transaction(producer, -1)))
                return;
        txn_open = 0;
        printf("ABORTED %s\n", reason);
        fflush(stdout);
        if (rewind)
                rewind_to_committed(consumer);
}

/* Eager rebalancing revokes everything: an open transaction holds output
 * for input positions the next assignment will not start from, so it is
 * aborted before the partitions go. */
static void rebalance(rd_kafka_t *consumer, rd_kafka_resp_err_t err,
                      rd_kafka_topic_partition_list_t *parts, void *opaque) {
        (void)opaque;
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                rd_kafka_assign(consumer, parts);
        } else {
                abort_open_txn(consumer, "revoked", 0);
                rd_kafka_assign(consumer, NULL);
        }
}

/* The positions to commit with the transaction: only partitions that
 * have one (a partition not read since assignment has none). */
static rd_kafka_topic_partition_list_t *positions(rd_kafka_t *consumer) {
        rd_kafka_topic_partition_list_t *assigned = NULL, *valid;
        int i;
        if (rd_kafka_assignment(consumer, &assigned) || !assigned)
                return rd_kafka_topic_partition_list_new(0);
        rd_kafka_position(consumer, assigned);
        valid = rd_kafka_topic_partition_list_new(assigned->cnt);
        for (i = 0; i < assigned->cnt; i++)
                if (assigned->elems[i].offset >= 0)
                        rd_kafka_topic_partition_list_add(valid, assigned->elems[i].topic,
                                                          assigned->elems[i].partition)
                            ->offset = assigned->elems[i].offset;
        rd_kafka_topic_partition_list_destroy(assigned);
        return valid;
}

static int commit_txn(rd_kafka_t *consumer, int *txns, int in_txn_msgs) {
        rd_kafka_topic_partition_list_t *offsets = positions(consumer);
        rd_kafka_consumer_group_metadata_t *cgmd = rd_kafka_consumer_group_metadata(consumer);
        int failed = txn_failed("send_offsets_to_transaction",
                                rd_kafka_send_offsets_to_transaction(producer, offsets, cgmd, -1));
        rd_kafka_consumer_group_metadata_destroy(cgmd);
        rd_kafka_topic_partition_list_destroy(offsets);
        if (!failed)
                failed = txn_failed("commit_transaction", rd_kafka_commit_transaction(producer, -1));
        if (failed) {
                if (!fatal_seen)
                        abort_open_txn(consumer, "commit failed", 1);
                return 0;
        }
        txn_open = 0;
        (*txns)++;
        printf("COMMITTED %d %d\n", *txns, in_txn_msgs);
        fflush(stdout);
        return in_txn_msgs;
}

/* Whether the group's committed offsets reached the high watermark of
 * every partition of the input (all of which must be assigned here). */
static int input_done(rd_kafka_t *consumer, const char *in_topic, int partition_cnt) {
        rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(partition_cnt);
        int i, done = 1;
        for (i = 0; i < partition_cnt; i++)
                rd_kafka_topic_partition_list_add(parts, in_topic, i);
        if (rd_kafka_committed(consumer, parts, 10000)) {
                done = 0;
        } else {
                for (i = 0; i < partition_cnt && done; i++) {
                        int64_t low, high;
                        if (rd_kafka_query_watermark_offsets(consumer, in_topic, i, &low, &high,
                                                             10000) ||
                            parts->elems[i].offset != high)
                                done = 0;
                }
        }
        rd_kafka_topic_partition_list_destroy(parts);
        return done;
}

static int input_partition_count(rd_kafka_t *consumer, const char *in_topic) {
        const rd_kafka_metadata_t *md;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(consumer, in_topic, NULL);
        int cnt = -1;
        if (rd_kafka_metadata(consumer, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                if (md->topic_cnt == 1 && !md->topics[0].err)
                        cnt = md->topics[0].partition_cnt;
                rd_kafka_metadata_destroy(md);
        }
        rd_kafka_topic_destroy(rkt);
        return cnt;
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *cconf, *pconf;
        rd_kafka_t *consumer;
        rd_kafka_topic_partition_list_t *topics;
        const char *out_topic;
        int batch, txns = 0, msgs = 0, in_txn_msgs = 0, partition_cnt, rc = 4;
        long long deadline, last_msg;

        if (argc != 8) {
                fprintf(stderr, "usage: %s BOOTSTRAP IN OUT GROUP TRANSACTIONAL_ID BATCH MAX_MS\n",
                        argv[0]);
                return 2;
        }
        out_topic = argv[3];
        batch = atoi(argv[6]);
        deadline = now_ms() + atoll(argv[7]);
        printf("version %s\n", rd_kafka_version_str());
        fflush(stdout);

        pconf = rd_kafka_conf_new();
        set_or_die(pconf, "bootstrap.servers", argv[1]);
        set_or_die(pconf, "transactional.id", argv[5]);
        producer = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, errstr, sizeof(errstr));
        if (!producer) {
                fprintf(stderr, "producer: %s\n", errstr);
                return 2;
        }
        /* Fences the killed instance and aborts the transaction it left open. */
        if (txn_failed("init_transactions", rd_kafka_init_transactions(producer, 30000)))
                return 3;

        cconf = rd_kafka_conf_new();
        set_or_die(cconf, "bootstrap.servers", argv[1]);
        set_or_die(cconf, "group.id", argv[4]);
        set_or_die(cconf, "isolation.level", "read_committed");
        set_or_die(cconf, "enable.auto.commit", "false");
        set_or_die(cconf, "auto.offset.reset", "earliest");
        /* A killed member holds its partitions until its session ends. */
        set_or_die(cconf, "session.timeout.ms", "6000");
        set_or_die(cconf, "heartbeat.interval.ms", "500");
        rd_kafka_conf_set_rebalance_cb(cconf, rebalance);
        consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, errstr, sizeof(errstr));
        if (!consumer) {
                fprintf(stderr, "consumer: %s\n", errstr);
                return 2;
        }
        rd_kafka_poll_set_consumer(consumer);
        partition_cnt = input_partition_count(consumer, argv[2]);
        if (partition_cnt <= 0) {
                fprintf(stderr, "no metadata for %s\n", argv[2]);
                return 2;
        }
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, argv[2], RD_KAFKA_PARTITION_UA);
        if (rd_kafka_subscribe(consumer, topics)) {
                fprintf(stderr, "subscribe failed\n");
                return 2;
        }
        rd_kafka_topic_partition_list_destroy(topics);

        last_msg = now_ms();
        while (!fatal_seen && now_ms() < deadline) {
                rd_kafka_message_t *msg = rd_kafka_consumer_poll(consumer, 100);
                rd_kafka_resp_err_t err;
                if (!msg) {
                        rd_kafka_topic_partition_list_t *assigned = NULL;
                        int all_assigned;
                        if (txn_open && now_ms() - last_msg >= 200) {
                                msgs += commit_txn(consumer, &txns, in_txn_msgs);
                                in_txn_msgs = 0;
                        }
                        if (txn_open || now_ms() - last_msg < 500)
                                continue;
                        all_assigned = !rd_kafka_assignment(consumer, &assigned) && assigned &&
                                       assigned->cnt == partition_cnt;
                        if (assigned)
                                rd_kafka_topic_partition_list_destroy(assigned);
                        if (all_assigned && input_done(consumer, argv[2], partition_cnt)) {
                                rc = 0;
                                break;
                        }
                        last_msg = now_ms();
                        continue;
                }
                if (msg->err) {
                        fprintf(stderr, "consumer: %s\n", rd_kafka_message_errstr(msg));
                        rd_kafka_message_destroy(msg);
                        continue;
                }
                last_msg = now_ms();
                if (!txn_open) {
                        if (txn_failed("begin_transaction", rd_kafka_begin_transaction(producer))) {
                                rd_kafka_message_destroy(msg);
                                continue;
                        }
                        txn_open = 1;
                        in_txn_msgs = 0;
                }
                /* A full queue is the only refusal to expect here: serve
                 * delivery reports until there is room. */
                while ((err = rd_kafka_producev(
                            producer, RD_KAFKA_V_TOPIC(out_topic),
                            RD_KAFKA_V_PARTITION(msg->partition),
                            RD_KAFKA_V_KEY(msg->key, msg->key_len),
                            RD_KAFKA_V_VALUE(msg->payload, msg->len),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
                       RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        rd_kafka_poll(producer, 10);
                rd_kafka_message_destroy(msg);
                if (err) {
                        fprintf(stderr, "producev: %s\n", rd_kafka_err2str(err));
                        abort_open_txn(consumer, "produce refused", 1);
                        continue;
                }
                rd_kafka_poll(producer, 0);
                if (++in_txn_msgs >= batch) {
                        msgs += commit_txn(consumer, &txns, in_txn_msgs);
                        in_txn_msgs = 0;
                }
        }
        if (fatal_seen) {
                rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(producer, errstr, sizeof(errstr));
                fprintf(stderr, "fatal: %s: %s\n", rd_kafka_err2name(fatal), errstr);
                rc = 3;
        }
        printf("done txns=%d msgs=%d\n", txns, msgs);
        fflush(stdout);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_flush(producer, 10000);
        rd_kafka_destroy(producer);
        return rc;
}
