/*
 * txn_matrix: every transactional call under injected faults, one case
 * after another in one process, so the same run can be made against
 * librdkafka 2.0.2 and against ferrokafka and the rows compared
 * (tests/transactions.rs, the error-flag table).
 *
 * usage: txn_matrix BOOTSTRAP TOPIC GROUP CASE...
 *   CASE is KIND:TIMEOUT_MS, TIMEOUT_MS the first call's timeout (-1 is
 *   librdkafka's "infinite"). KIND is the call under test:
 *     init           init_transactions
 *     begin          begin_transaction (after init)
 *     send_offsets   send_offsets_to_transaction (in a transaction)
 *     commit         commit_transaction of one message produced after the
 *                    sync point (so produce-path faults apply to it)
 *     abort          abort_transaction of one message delivered before it
 *     endtxn_commit  commit_transaction of one message delivered before the
 *                    sync point (the coordinator is all that is left)
 *     purge_queue    three messages produced, then rd_kafka_purge(QUEUE),
 *                    then commit_transaction
 *     purge_inflight three messages produced and sent, then
 *                    rd_kafka_purge(INFLIGHT), then commit_transaction
 *     flush          three messages produced, rd_kafka_flush(TIMEOUT) in
 *                    the transaction (its result is "pre"), then commit
 *   Each case uses a new producer with transactional.id "<TOPIC>-m<N>" (N
 *   its index) and transaction.timeout.ms 60000, or 2000 for a case given
 *   with a "short" suffix (KIND:TIMEOUT:short).
 *
 * For case N the program prints "SYNC case<N>" at the point where the test
 * injects the case's faults (before init for init cases, else right after
 * begin_transaction, or after the message was delivered for abort and
 * endtxn_commit), waits for a line on stdin, then runs:
 *   pre    the step before the call (purge, flush), if any
 *   first  the call under test
 *   again  the same call once more when first was retriable (resumes),
 *          with 10 s (30 s for "short" cases: librdkafka reconnects to a
 *          coordinator that was down only after its reconnect backoff)
 *   abort  abort_transaction when the transaction is still open
 *   next   a whole new transaction: begin, one message, commit
 * and prints one line:
 *   ROW <N> pre=<R> first=<R> again=<R> abort=<R> next=<R> fatal=<NAME> dr=<D>
 * where R is "ok", "-" (not made) or CODE_NAME followed by the error's
 * flags (/F fatal, /R retriable, /A txn_requires_abort), and D the failed
 * delivery reports of the case as NAME*COUNT (comma-separated) or "none".
 * Then "version <rd_kafka_version_str()>" first and "done" last.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESULT_SIZE 96
#define MAX_DR_CODES 8
#define API_TIMEOUT 10000

static const char *bootstrap, *topic, *group;

/* The failed delivery reports of the current case, by code. */
static struct {
        rd_kafka_resp_err_t code;
        int count;
} dr_failed[MAX_DR_CODES];
static int dr_failed_codes;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        int i;
        (void)rk;
        (void)opaque;
        if (!m->err)
                return;
        for (i = 0; i < dr_failed_codes; i++) {
                if (dr_failed[i].code == m->err) {
                        dr_failed[i].count++;
                        return;
                }
        }
        if (dr_failed_codes < MAX_DR_CODES) {
                dr_failed[dr_failed_codes].code  = m->err;
                dr_failed[dr_failed_codes].count = 1;
                dr_failed_codes++;
        }
}

static void die(const char *what) {
        fprintf(stderr, "txn_matrix: %s\n", what);
        exit(1);
}

static rd_kafka_t *new_producer(const char *txn_id, int short_timeout) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;

        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "transactional.id", txn_id, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "transaction.timeout.ms", short_timeout ? "2000" : "60000",
                              errstr, sizeof(errstr)))
                die(errstr);
        rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk)
                die(errstr);
        return rk;
}

/* Writes the outcome of a call into `out` ("ok" or CODE/flags), logs the
 * error string on stderr, destroys the error; returns 1 if it failed, with
 * its flags in *retriable, *abortable, *fatal when given. */
static int outcome(char *out, const char *what, rd_kafka_error_t *error, int *retriable,
                   int *abortable) {
        if (!error) {
                snprintf(out, RESULT_SIZE, "ok");
                if (retriable)
                        *retriable = 0;
                if (abortable)
                        *abortable = 0;
                return 0;
        }
        snprintf(out, RESULT_SIZE, "%s%s%s%s", rd_kafka_err2name(rd_kafka_error_code(error)),
                 rd_kafka_error_is_fatal(error) ? "/F" : "",
                 rd_kafka_error_is_retriable(error) ? "/R" : "",
                 rd_kafka_error_txn_requires_abort(error) ? "/A" : "");
        fprintf(stderr, "%s: %s\n", what, rd_kafka_error_string(error));
        if (retriable)
                *retriable = rd_kafka_error_is_retriable(error);
        if (abortable)
                *abortable = rd_kafka_error_txn_requires_abort(error);
        rd_kafka_error_destroy(error);
        return 1;
}

static rd_kafka_resp_err_t produce_one(rd_kafka_t *rk) {
        return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0),
                                 RD_KAFKA_V_VALUE("v", 1),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
}

static rd_kafka_error_t *send_offsets(rd_kafka_t *rk, int timeout_ms) {
        rd_kafka_consumer_group_metadata_t *cgmd = rd_kafka_consumer_group_metadata_new(group);
        rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(1);
        rd_kafka_error_t *error;

        rd_kafka_topic_partition_list_add(offsets, topic, 0)->offset = 7;
        error = rd_kafka_send_offsets_to_transaction(rk, offsets, cgmd, timeout_ms);
        rd_kafka_topic_partition_list_destroy(offsets);
        rd_kafka_consumer_group_metadata_destroy(cgmd);
        return error;
}

/* The call under test, by kind. */
static rd_kafka_error_t *call(rd_kafka_t *rk, const char *kind, int timeout_ms) {
        if (!strcmp(kind, "init"))
                return rd_kafka_init_transactions(rk, timeout_ms);
        if (!strcmp(kind, "begin"))
                return rd_kafka_begin_transaction(rk);
        if (!strcmp(kind, "send_offsets"))
                return send_offsets(rk, timeout_ms);
        if (!strcmp(kind, "abort"))
                return rd_kafka_abort_transaction(rk, timeout_ms);
        return rd_kafka_commit_transaction(rk, timeout_ms);
}

static void sync_point(int index) {
        char line[64];
        printf("SYNC case%d\n", index);
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin))
                die("no answer at a sync point");
}

/* pre: the step between the sync point and the call, by kind. */
static void pre_step(rd_kafka_t *rk, const char *kind, int timeout_ms, char *pre) {
        int i;
        snprintf(pre, RESULT_SIZE, "-");
        if (!strcmp(kind, "commit")) {
                if (produce_one(rk))
                        snprintf(pre, RESULT_SIZE, "produce_refused");
                return;
        }
        if (strncmp(kind, "purge_", 6) && strcmp(kind, "flush"))
                return;
        for (i = 0; i < 3; i++) {
                rd_kafka_resp_err_t err = produce_one(rk);
                if (err) {
                        snprintf(pre, RESULT_SIZE, "produce:%s", rd_kafka_err2name(err));
                        return;
                }
        }
        if (!strcmp(kind, "flush")) {
                snprintf(pre, RESULT_SIZE, "%s",
                         rd_kafka_err2name(rd_kafka_flush(rk, timeout_ms)));
                return;
        }
        if (!strcmp(kind, "purge_inflight"))
                rd_kafka_poll(rk, 1000); /* long enough to be sent */
        snprintf(pre, RESULT_SIZE, "%s",
                 rd_kafka_err2name(rd_kafka_purge(rk, !strcmp(kind, "purge_queue")
                                                          ? RD_KAFKA_PURGE_F_QUEUE
                                                          : RD_KAFKA_PURGE_F_INFLIGHT)));
        /* Serves the purged messages' delivery reports. */
        rd_kafka_poll(rk, 500);
}

static void run_case(int index, const char *spec) {
        char kind[32], txn_id[256], pre[RESULT_SIZE], first[RESULT_SIZE], again[RESULT_SIZE],
            aborted[RESULT_SIZE], next[RESULT_SIZE], fatal_reason[512], drs[256];
        const char *colon = strchr(spec, ':');
        int timeout_ms, retriable = 0, abortable = 0, failed, in_txn, i;
        int short_timeout = strstr(spec, ":short") != NULL;
        rd_kafka_error_t *error;
        rd_kafka_resp_err_t fatal;
        rd_kafka_t *rk;

        if (!colon || (size_t)(colon - spec) >= sizeof(kind))
                die("bad case");
        memcpy(kind, spec, (size_t)(colon - spec));
        kind[colon - spec] = '\0';
        timeout_ms = atoi(colon + 1);
        snprintf(txn_id, sizeof(txn_id), "%s-m%d", topic, index);
        snprintf(again, RESULT_SIZE, "-");
        snprintf(aborted, RESULT_SIZE, "-");
        dr_failed_codes = 0;

        rk = new_producer(txn_id, short_timeout);
        if (strcmp(kind, "init")) {
                if ((error = rd_kafka_init_transactions(rk, API_TIMEOUT)) ||
                    (strcmp(kind, "begin") && (error = rd_kafka_begin_transaction(rk)))) {
                        outcome(first, "setup", error, NULL, NULL);
                        die("setup failed");
                }
                if (!strcmp(kind, "abort") || !strcmp(kind, "endtxn_commit")) {
                        if (produce_one(rk) || rd_kafka_flush(rk, API_TIMEOUT))
                                die("setup message not delivered");
                }
        }
        sync_point(index);
        pre_step(rk, kind, timeout_ms, pre);

        failed = outcome(first, "first", call(rk, kind, timeout_ms), &retriable, &abortable);
        if (failed && retriable)
                failed = outcome(again, "again",
                                 call(rk, kind, short_timeout ? 3 * API_TIMEOUT : API_TIMEOUT),
                                 NULL, &abortable);
        /* Still in the transaction: after a successful begin or
         * send_offsets, or a failed commit or abort. */
        if (!strcmp(kind, "init"))
                in_txn = 0;
        else if (!strcmp(kind, "begin") || !strcmp(kind, "send_offsets"))
                in_txn = !failed || strcmp(kind, "begin");
        else
                in_txn = failed;
        if (in_txn)
                outcome(aborted, "abort", rd_kafka_abort_transaction(rk, API_TIMEOUT), NULL, NULL);

        if ((error = rd_kafka_begin_transaction(rk)))
                outcome(next, "next begin", error, NULL, NULL);
        else if (produce_one(rk))
                snprintf(next, RESULT_SIZE, "produce_refused");
        else
                outcome(next, "next commit", rd_kafka_commit_transaction(rk, API_TIMEOUT), NULL,
                        NULL);

        fatal = rd_kafka_fatal_error(rk, fatal_reason, sizeof(fatal_reason));
        rd_kafka_flush(rk, 1000);
        rd_kafka_destroy(rk);

        drs[0] = '\0';
        for (i = 0; i < dr_failed_codes; i++)
                snprintf(drs + strlen(drs), sizeof(drs) - strlen(drs), "%s%s*%d", i ? "," : "",
                         rd_kafka_err2name(dr_failed[i].code), dr_failed[i].count);
        printf("ROW %d pre=%s first=%s again=%s abort=%s next=%s fatal=%s dr=%s\n", index, pre,
               first, again, aborted, next, rd_kafka_err2name(fatal), *drs ? drs : "none");
        fflush(stdout);
}

int main(int argc, char **argv) {
        int i;

        if (argc < 5) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC GROUP CASE...\n", argv[0]);
                return 2;
        }
        bootstrap = argv[1];
        topic     = argv[2];
        group     = argv[3];
        printf("version %s\n", rd_kafka_version_str());
        for (i = 4; i < argc; i++)
                run_case(i - 4, argv[i]);
        printf("done\n");
        return 0;
}
