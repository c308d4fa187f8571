/*
 * txn_producer: the transactional producer's documented flow
 * (INTRODUCTION.md, rdkafka.h), built against ours and against Debian's
 * librdkafka so both can be run on the same cluster with the same faults
 * and their outputs compared (tests/txn_producer.rs).
 *
 * usage: txn_producer BOOTSTRAP TOPIC TXN_ID MODE [ARG...]
 *   mixed TXNS PER_TXN [GROUP]  transactions alternately committed and
 *        aborted (the last one aborted; an aborted one is flushed
 *        before its abort, so its messages are in the log); message N has key "key-N" and
 *        tests/support's expected value of size 32. With GROUP, each
 *        transaction also sends offset 100+T of partition 0 for GROUP.
 *   fence  a second producer with the same transactional.id fences the
 *        first; the first's calls then fail fatally.
 *   states the calls made in the wrong state.
 *   timeout a commit with too little time, then again with enough.
 *
 * Prints "version <rd_kafka_version_str()>", then:
 *   "IDX C|A N"       message N was in a committed/aborted transaction
 *   "OFFSET C|A O"    offset O was sent in a committed/aborted transaction
 *   "CALL <what> <code name> fatal=F retriable=R abort=A" for every call
 *        that returned an error (the name says which call and step)
 *   "FATAL <code name>" rd_kafka_fatal_error() when asked
 *   "DR <ok> <failed>" delivery report tallies, then "done".
 * Exits 0 unless something unexpected happened (message on stderr).
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 32

static int dr_ok, dr_failed;
static const char *bootstrap, *topic, *txn_id;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err)
                dr_failed++;
        else
                dr_ok++;
}

static void die(const char *what) {
        fprintf(stderr, "txn_producer: %s\n", what);
        exit(1);
}

static rd_kafka_t *new_producer(void) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;

        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "transactional.id", txn_id, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "transaction.timeout.ms", "60000", errstr, sizeof(errstr)))
                die(errstr);
        rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk)
                die(errstr);
        return rk;
}

/* Reports a call's error (if any); returns it, NULL on success. */
static rd_kafka_error_t *report(const char *what, rd_kafka_error_t *error) {
        if (!error)
                return NULL;
        printf("CALL %s %s fatal=%d retriable=%d abort=%d\n", what,
               rd_kafka_err2name(rd_kafka_error_code(error)), rd_kafka_error_is_fatal(error),
               rd_kafka_error_is_retriable(error), rd_kafka_error_txn_requires_abort(error));
        fprintf(stderr, "%s: %s\n", what, rd_kafka_error_string(error));
        fflush(stdout);
        return error;
}

/* A call that must succeed, retried while its error is retriable. */
static void must(const char *what, rd_kafka_error_t *(*call)(rd_kafka_t *, int), rd_kafka_t *rk) {
        rd_kafka_error_t *error;
        while ((error = report(what, call(rk, 30000)))) {
                if (!rd_kafka_error_is_retriable(error))
                        die(what);
                rd_kafka_error_destroy(error);
        }
}

static void produce_one(rd_kafka_t *rk, int index) {
        char key[32], value[SIZE];
        int j;
        rd_kafka_resp_err_t err;

        snprintf(key, sizeof(key), "key-%d", index);
        for (j = 0; j < SIZE; j++)
                value[j] = (char)((index * 31 + j * 7) % 251);
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, strlen(key)),
                                RD_KAFKA_V_VALUE(value, SIZE), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_END);
        if (err) {
                fprintf(stderr, "produce %d: %s\n", index, rd_kafka_err2str(err));
                die("produce failed");
        }
}

/* Transactions alternately committed and aborted. A commit that fails
 * with an abortable error is aborted instead (and reported as such). */
static void mixed(rd_kafka_t *rk, int txns, int per_txn, const char *group) {
        rd_kafka_consumer_group_metadata_t *cgmd =
            group ? rd_kafka_consumer_group_metadata_new(group) : NULL;
        int t, i, next = 0;

        must("init", rd_kafka_init_transactions, rk);
        for (t = 0; t < txns; t++) {
                int commit = t % 2 == 0 && t != txns - 1;
                int first = next;
                rd_kafka_error_t *error;

                if (report("begin", rd_kafka_begin_transaction(rk)))
                        die("begin");
                for (i = 0; i < per_txn; i++)
                        produce_one(rk, next++);
                rd_kafka_poll(rk, 0);
                if (cgmd) {
                        rd_kafka_topic_partition_list_t *offsets =
                            rd_kafka_topic_partition_list_new(1);
                        rd_kafka_topic_partition_list_add(offsets, topic, 0)->offset = 100 + t;
                        error = report("send_offsets",
                                       rd_kafka_send_offsets_to_transaction(rk, offsets, cgmd, 30000));
                        rd_kafka_topic_partition_list_destroy(offsets);
                        if (error) {
                                if (!rd_kafka_error_txn_requires_abort(error))
                                        die("send_offsets");
                                rd_kafka_error_destroy(error);
                                commit = 0;
                        }
                }
                if (commit) {
                        while ((error = report("commit", rd_kafka_commit_transaction(rk, 30000)))) {
                                if (rd_kafka_error_txn_requires_abort(error)) {
                                        rd_kafka_error_destroy(error);
                                        commit = 0;
                                        break;
                                }
                                if (!rd_kafka_error_is_retriable(error))
                                        die("commit");
                                rd_kafka_error_destroy(error);
                        }
                }
                if (!commit) {
                        /* Delivered first, so the aborted messages are in
                         * the log (an abort purges what is still queued). */
                        rd_kafka_flush(rk, 30000);
                        must("abort", rd_kafka_abort_transaction, rk);
                }
                for (i = first; i < next; i++)
                        printf("IDX %c %d\n", commit ? 'C' : 'A', i);
                if (cgmd)
                        printf("OFFSET %c %d\n", commit ? 'C' : 'A', 100 + t);
                fflush(stdout);
        }
        if (cgmd)
                rd_kafka_consumer_group_metadata_destroy(cgmd);
}

static void print_fatal(rd_kafka_t *rk) {
        char reason[512];
        rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk, reason, sizeof(reason));
        printf("FATAL %s\n", rd_kafka_err2name(err));
        fprintf(stderr, "fatal: %s\n", reason);
}

/* The first instance is fenced by the second: its next produce or commit
 * fails fatally; the second commits. */
static void fence(void) {
        rd_kafka_t *first = new_producer(), *second;
        rd_kafka_error_t *error;
        int tries;

        must("init", rd_kafka_init_transactions, first);
        if (report("begin", rd_kafka_begin_transaction(first)))
                die("begin");
        produce_one(first, 0);
        rd_kafka_flush(first, 30000);

        second = new_producer();
        must("init2", rd_kafka_init_transactions, second);

        /* The first instance learns of it from its next request. */
        for (tries = 0; tries < 3; tries++) {
                rd_kafka_resp_err_t err;
                char key[8] = "fenced";
                err = rd_kafka_producev(first, RD_KAFKA_V_TOPIC(topic),
                                        RD_KAFKA_V_KEY(key, strlen(key)),
                                        RD_KAFKA_V_VALUE("x", 1),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                if (err)
                        break;
                rd_kafka_flush(first, 10000);
        }
        error = report("commit_fenced", rd_kafka_commit_transaction(first, 30000));
        if (!error || !rd_kafka_error_is_fatal(error))
                die("the fenced instance's commit did not fail fatally");
        rd_kafka_error_destroy(error);
        print_fatal(first);
        error = report("begin_fenced", rd_kafka_begin_transaction(first));
        if (!error || !rd_kafka_error_is_fatal(error))
                die("the fenced instance's begin did not fail fatally");
        rd_kafka_error_destroy(error);

        if (report("begin2", rd_kafka_begin_transaction(second)))
                die("begin2");
        produce_one(second, 1);
        must("commit2", rd_kafka_commit_transaction, second);
        printf("IDX C 1\n");
        rd_kafka_destroy(first);
        rd_kafka_destroy(second);
}

/* Every call in a state that does not allow it: __STATE, not fatal. */
static void states(rd_kafka_t *rk) {
        rd_kafka_error_t *error;
        rd_kafka_consumer_group_metadata_t *cgmd = rd_kafka_consumer_group_metadata_new("g");
        rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(1);
        rd_kafka_resp_err_t err;

        rd_kafka_topic_partition_list_add(offsets, topic, 0)->offset = 1;
        error = report("begin_before_init", rd_kafka_begin_transaction(rk));
        if (error)
                rd_kafka_error_destroy(error);
        error = report("commit_before_init", rd_kafka_commit_transaction(rk, 1000));
        if (error)
                rd_kafka_error_destroy(error);
        must("init", rd_kafka_init_transactions, rk);
        error = report("init_again", rd_kafka_init_transactions(rk, 1000));
        if (error)
                rd_kafka_error_destroy(error);
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE("x", 1),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        printf("PRODUCE_OUTSIDE %s\n", rd_kafka_err2name(err));
        error = report("commit_without_begin", rd_kafka_commit_transaction(rk, 1000));
        if (error)
                rd_kafka_error_destroy(error);
        error = report("abort_without_begin", rd_kafka_abort_transaction(rk, 1000));
        if (error)
                rd_kafka_error_destroy(error);
        error = report("send_offsets_without_begin",
                       rd_kafka_send_offsets_to_transaction(rk, offsets, cgmd, 1000));
        if (error)
                rd_kafka_error_destroy(error);
        if (report("begin", rd_kafka_begin_transaction(rk)))
                die("begin");
        error = report("begin_again", rd_kafka_begin_transaction(rk));
        if (error)
                rd_kafka_error_destroy(error);
        /* An empty transaction commits. */
        must("commit_empty", rd_kafka_commit_transaction, rk);
        rd_kafka_topic_partition_list_destroy(offsets);
        rd_kafka_consumer_group_metadata_destroy(cgmd);
}

/* A commit given too little time (the test slows the coordinator down)
 * fails with a retriable error; called again, it completes. */
static void timeout(rd_kafka_t *rk) {
        rd_kafka_error_t *error;

        must("init", rd_kafka_init_transactions, rk);
        if (report("begin", rd_kafka_begin_transaction(rk)))
                die("begin");
        produce_one(rk, 0);
        rd_kafka_flush(rk, 30000);
        error = report("commit_short", rd_kafka_commit_transaction(rk, 300));
        if (!error || !rd_kafka_error_is_retriable(error))
                die("the short commit did not time out retriably");
        rd_kafka_error_destroy(error);
        must("commit_again", rd_kafka_commit_transaction, rk);
        printf("IDX C 0\n");
}

int main(int argc, char **argv) {
        const char *mode;

        if (argc < 5) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC TXN_ID MODE [ARG...]\n", argv[0]);
                return 2;
        }
        bootstrap = argv[1];
        topic     = argv[2];
        txn_id    = argv[3];
        mode      = argv[4];
        printf("version %s\n", rd_kafka_version_str());
        if (!strcmp(mode, "fence")) {
                fence();
        } else {
                rd_kafka_t *rk = new_producer();
                if (!strcmp(mode, "mixed") && argc >= 7)
                        mixed(rk, atoi(argv[5]), atoi(argv[6]), argc >= 8 ? argv[7] : NULL);
                else if (!strcmp(mode, "states"))
                        states(rk);
                else if (!strcmp(mode, "timeout"))
                        timeout(rk);
                else
                        die("unknown mode");
                rd_kafka_flush(rk, 10000);
                rd_kafka_destroy(rk);
        }
        printf("DR %d %d\ndone\n", dr_ok, dr_failed);
        return 0;
}
