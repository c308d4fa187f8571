/*
 * Test peer: a librdkafka mock cluster driven by line commands.
 *
 * Built against the system librdkafka (not ferrokafka) so our client can be
 * exercised against the reference implementation's mock brokers.
 *
 * Usage: mock_cluster BROKER_COUNT
 *
 * Prints "bootstrap <host:port,...>" once the cluster is up, then reads one
 * command per line on stdin and answers each with exactly one line, "ok" or
 * "err <reason>". End of input behaves like "quit", so the cluster dies with
 * the test process that owns the pipe.
 *
 * Commands (ERR is a number or an error name such as NOT_LEADER_FOR_PARTITION,
 * with or without the RD_KAFKA_RESP_ERR_ prefix):
 *   topic NAME PARTITIONS REPLICATION
 *   down BROKER | up BROKER            (BROKER -1 means all)
 *   rtt BROKER MS
 *   errors APIKEY ERR...               (cluster-wide error stack)
 *   broker-errors BROKER APIKEY ERR RTT_MS [ERR RTT_MS]...
 *   clear-errors APIKEY
 *   topic-error TOPIC ERR
 *   leader TOPIC PARTITION BROKER
 *   follower TOPIC PARTITION BROKER
 *   coordinator group|transaction KEY BROKER
 *   apiversion APIKEY MIN MAX
 *   throttle BROKER MS                 (BROKER -1 means all; MS 0 ends it)
 *   quit
 *
 * "throttle" calls rd_kafka_mock_broker_set_throttle_ms, an extension of
 * ferrokafka's mock that librdkafka 2.0.2 lacks: it is looked up at run time
 * (dlsym), so this harness builds and runs against both libraries, and
 * answers "err not supported: ..." where the function does not exist.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_ARGS 64

static rd_kafka_mock_cluster_t *mcluster;

/* rd_kafka_mock_broker_set_throttle_ms, where the library has it. */
typedef rd_kafka_resp_err_t(set_throttle_fn)(rd_kafka_mock_cluster_t *, int32_t, int);

/* Parses a whole token as a base-10 integer within [lo, hi]. */
static int parse_long(const char *s, long lo, long hi, long *out) {
        char *end;
        long v;

        errno = 0;
        v     = strtol(s, &end, 10);
        if (errno || end == s || *end || v < lo || v > hi)
                return -1;
        *out = v;
        return 0;
}

/* Accepts a numeric error code or librdkafka's name for it. */
static int parse_err(const char *s, rd_kafka_resp_err_t *out) {
        const struct rd_kafka_err_desc *descs;
        size_t cnt, i;
        long v;
        const char *prefix = "RD_KAFKA_RESP_ERR_";

        if (!parse_long(s, -200, 200, &v)) {
                *out = (rd_kafka_resp_err_t)v;
                return 0;
        }
        if (!strncmp(s, prefix, strlen(prefix)))
                s += strlen(prefix);
        rd_kafka_get_err_descs(&descs, &cnt);
        for (i = 0; i < cnt; i++) {
                if (descs[i].name && !strcmp(descs[i].name, s)) {
                        *out = descs[i].code;
                        return 0;
                }
        }
        return -1;
}

static void reply_err(const char *fmt, const char *detail) {
        printf("err ");
        printf(fmt, detail);
        printf("\n");
}

static void reply_result(rd_kafka_resp_err_t err) {
        if (err)
                printf("err %s\n", rd_kafka_err2name(err));
        else
                printf("ok\n");
}

/* Runs one command; returns 1 when the harness should exit. */
static int run_command(int argc, char **argv) {
        long a, b, c;
        rd_kafka_resp_err_t errs[MAX_ARGS];
        int i;
        const char *cmd = argv[0];

        if (!strcmp(cmd, "quit")) {
                printf("ok\n");
                return 1;

        } else if (!strcmp(cmd, "topic") && argc == 4) {
                if (parse_long(argv[2], 1, 100000, &a) ||
                    parse_long(argv[3], 1, 1000, &b))
                        reply_err("bad partition count or replication: %s",
                                  argv[2]);
                else
                        reply_result(rd_kafka_mock_topic_create(
                            mcluster, argv[1], (int)a, (int)b));

        } else if ((!strcmp(cmd, "down") || !strcmp(cmd, "up")) && argc == 2) {
                if (parse_long(argv[1], -1, 1000000, &a))
                        reply_err("bad broker id: %s", argv[1]);
                else if (!strcmp(cmd, "down"))
                        reply_result(
                            rd_kafka_mock_broker_set_down(mcluster, (int32_t)a));
                else
                        reply_result(
                            rd_kafka_mock_broker_set_up(mcluster, (int32_t)a));

        } else if (!strcmp(cmd, "rtt") && argc == 3) {
                if (parse_long(argv[1], -1, 1000000, &a) ||
                    parse_long(argv[2], 0, 3600000, &b))
                        reply_err("bad broker id or rtt: %s", argv[1]);
                else
                        reply_result(rd_kafka_mock_broker_set_rtt(
                            mcluster, (int32_t)a, (int)b));

        } else if (!strcmp(cmd, "errors") && argc >= 3) {
                if (parse_long(argv[1], 0, 32767, &a)) {
                        reply_err("bad api key: %s", argv[1]);
                        return 0;
                }
                for (i = 2; i < argc; i++) {
                        if (parse_err(argv[i], &errs[i - 2])) {
                                reply_err("unknown error code: %s", argv[i]);
                                return 0;
                        }
                }
                rd_kafka_mock_push_request_errors_array(
                    mcluster, (int16_t)a, (size_t)(argc - 2), errs);
                printf("ok\n");

        } else if (!strcmp(cmd, "broker-errors") && argc >= 5 &&
                   (argc - 3) % 2 == 0) {
                rd_kafka_resp_err_t err;
                if (parse_long(argv[1], 0, 1000000, &a) ||
                    parse_long(argv[2], 0, 32767, &b)) {
                        reply_err("bad broker id or api key: %s", argv[1]);
                        return 0;
                }
                /* Validate everything first so a bad token pushes nothing. */
                for (i = 3; i < argc; i += 2) {
                        if (parse_err(argv[i], &errs[0]) ||
                            parse_long(argv[i + 1], 0, 3600000, &c)) {
                                reply_err("bad error/rtt pair at: %s", argv[i]);
                                return 0;
                        }
                }
                /* The API is variadic only; one call per pair keeps order. */
                for (i = 3; i < argc; i += 2) {
                        parse_err(argv[i], &err);
                        parse_long(argv[i + 1], 0, 3600000, &c);
                        err = rd_kafka_mock_broker_push_request_error_rtts(
                            mcluster, (int32_t)a, (int16_t)b, 1, err, (int)c);
                        if (err) {
                                reply_result(err);
                                return 0;
                        }
                }
                printf("ok\n");

        } else if (!strcmp(cmd, "clear-errors") && argc == 2) {
                if (parse_long(argv[1], 0, 32767, &a))
                        reply_err("bad api key: %s", argv[1]);
                else {
                        rd_kafka_mock_clear_request_errors(mcluster,
                                                           (int16_t)a);
                        printf("ok\n");
                }

        } else if (!strcmp(cmd, "topic-error") && argc == 3) {
                if (parse_err(argv[2], &errs[0]))
                        reply_err("unknown error code: %s", argv[2]);
                else {
                        rd_kafka_mock_topic_set_error(mcluster, argv[1],
                                                      errs[0]);
                        printf("ok\n");
                }

        } else if ((!strcmp(cmd, "leader") || !strcmp(cmd, "follower")) &&
                   argc == 4) {
                if (parse_long(argv[2], 0, 100000, &a) ||
                    parse_long(argv[3], -1, 1000000, &b))
                        reply_err("bad partition or broker id: %s", argv[2]);
                else if (!strcmp(cmd, "leader"))
                        reply_result(rd_kafka_mock_partition_set_leader(
                            mcluster, argv[1], (int32_t)a, (int32_t)b));
                else
                        reply_result(rd_kafka_mock_partition_set_follower(
                            mcluster, argv[1], (int32_t)a, (int32_t)b));

        } else if (!strcmp(cmd, "coordinator") && argc == 4) {
                if (strcmp(argv[1], "group") && strcmp(argv[1], "transaction"))
                        reply_err("coordinator type must be group or "
                                  "transaction, not %s",
                                  argv[1]);
                else if (parse_long(argv[3], -1, 1000000, &a))
                        reply_err("bad broker id: %s", argv[3]);
                else
                        reply_result(rd_kafka_mock_coordinator_set(
                            mcluster, argv[1], argv[2], (int32_t)a));

        } else if (!strcmp(cmd, "apiversion") && argc == 4) {
                if (parse_long(argv[1], 0, 32767, &a) ||
                    parse_long(argv[2], -1, 32767, &b) ||
                    parse_long(argv[3], -1, 32767, &c))
                        reply_err("bad api key or version: %s", argv[1]);
                else
                        reply_result(rd_kafka_mock_set_apiversion(
                            mcluster, (int16_t)a, (int16_t)b, (int16_t)c));

        } else if (!strcmp(cmd, "throttle") && argc == 3) {
                set_throttle_fn *set_throttle;
                *(void **)&set_throttle =
                    dlsym(RTLD_DEFAULT, "rd_kafka_mock_broker_set_throttle_ms");
                if (!set_throttle)
                        reply_err("not supported: %s has no "
                                  "rd_kafka_mock_broker_set_throttle_ms",
                                  rd_kafka_version_str());
                else if (parse_long(argv[1], -1, 1000000, &a) ||
                         parse_long(argv[2], 0, 3600000, &b))
                        reply_err("bad broker id or throttle time: %s", argv[1]);
                else
                        reply_result(set_throttle(mcluster, (int32_t)a, (int)b));

        } else {
                reply_err("unknown command or wrong argument count: %s", cmd);
        }
        return 0;
}

int main(int argc, char **argv) {
        char errstr[512];
        char line[4096];
        long broker_cnt;
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        int done = 0;
        int i;

        if (argc < 2 || parse_long(argv[1], 1, 100, &broker_cnt)) {
                fprintf(stderr, "usage: %s BROKER_COUNT (1..100) [key=value ...]\n", argv[0]);
                return 2;
        }

        /* The owning handle only does the cluster's bookkeeping: it has no
         * brokers of its own and never produces. Extra key=value arguments
         * configure it (ferrokafka's test.mock.ssl.* make a TLS cluster). */
        conf = rd_kafka_conf_new();
        for (i = 2; i < argc; i++) {
                char *eq = strchr(argv[i], '=');
                if (!eq) {
                        fprintf(stderr, "bad property %s\n", argv[i]);
                        return 2;
                }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, argv[i], eq + 1, errstr, sizeof(errstr)) !=
                    RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s\n", errstr);
                        return 2;
                }
        }
        rk   = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                return 1;
        }

        mcluster = rd_kafka_mock_cluster_new(rk, (int)broker_cnt);
        if (!mcluster) {
                fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        fflush(stdout);

        while (!done && fgets(line, sizeof(line), stdin)) {
                char *args[MAX_ARGS];
                int n = 0;
                char *save, *tok;

                for (tok = strtok_r(line, " \t\r\n", &save);
                     tok && n < MAX_ARGS;
                     tok = strtok_r(NULL, " \t\r\n", &save))
                        args[n++] = tok;

                if (n == 0)
                        printf("err empty command\n");
                else if (tok)
                        printf("err too many arguments (max %d)\n", MAX_ARGS);
                else
                        done = run_command(n, args);
                fflush(stdout);
        }

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
