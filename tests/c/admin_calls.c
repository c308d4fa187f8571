/*
 * The Admin API as librdkafka's admin examples use it: AdminOptions (and
 * their per-API checks), CreateTopics (validate_only, operation timeout,
 * configs, TOPIC_ALREADY_EXISTS), CreatePartitions (INVALID_PARTITIONS),
 * DescribeConfigs/AlterConfigs (entries, sources, synonyms), DeleteRecords,
 * DeleteTopics; results on a queue of our own, the main queue and the
 * background queue.
 *
 * Usage: admin_calls mock PREFIX          (our embedded mock, with faults)
 *        admin_calls broker BOOTSTRAP PREFIX FEATURES
 *        FEATURES: letters of what the broker serves as Kafka does:
 *        v=CreateTopics' validate_only p=CreatePartitions d=DescribeConfigs
 *        a=AlterConfigs r=DeleteRecords; and for a broker that lacks some:
 *        D=DescribeConfigs answers (entries not checked)
 *        U=CreatePartitions and AlterConfigs are _UNSUPPORTED_FEATURE
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define WAIT_MS 30000

static char errstr[512];
static char topic_a[256], topic_b[256], topic_c[256];

/* Waits for the next admin result on rkqu, checking its type. */
static rd_kafka_event_t *wait_result(rd_kafka_queue_t *rkqu, rd_kafka_event_type_t type) {
        rd_kafka_event_t *rkev = rd_kafka_queue_poll(rkqu, WAIT_MS);
        CHECK(rkev != NULL);
        if (!rkev)
                return NULL;
        if (rd_kafka_event_type(rkev) != type) {
                fprintf(stderr, "expected event %d, got %d (%s)\n", type, rd_kafka_event_type(rkev),
                        rd_kafka_event_name(rkev));
                failures++;
        }
        return rkev;
}

/* Creates one topic; returns its per-topic error (or the request's). */
static rd_kafka_resp_err_t create_topic(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *name, int partitions,
                                        int validate_only, const char *config_name, const char *config_value) {
        rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(name, partitions, 1, errstr, sizeof(errstr));
        rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
        rd_kafka_event_t *rkev;
        const rd_kafka_CreateTopics_result_t *res;
        const rd_kafka_topic_result_t **topics;
        size_t cnt = 99;
        rd_kafka_resp_err_t err;

        CHECK(nt != NULL);
        if (config_name)
                CHECK(rd_kafka_NewTopic_set_config(nt, config_name, config_value) == RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK(rd_kafka_AdminOptions_set_operation_timeout(o, 5000, errstr, sizeof(errstr)) == 0);
        CHECK(rd_kafka_AdminOptions_set_validate_only(o, validate_only, errstr, sizeof(errstr)) == 0);
        rd_kafka_AdminOptions_set_opaque(o, (void *)0x1234);
        rd_kafka_CreateTopics(rk, &nt, 1, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_NewTopic_destroy(nt);

        rkev = wait_result(q, RD_KAFKA_EVENT_CREATETOPICS_RESULT);
        if (!rkev)
                return RD_KAFKA_RESP_ERR__TIMED_OUT;
        CHECK(!strcmp(rd_kafka_event_name(rkev), "CreateTopicsResult"));
        CHECK(rd_kafka_event_opaque(rkev) == (void *)0x1234);
        CHECK(rd_kafka_event_DeleteTopics_result(rkev) == NULL);
        res = rd_kafka_event_CreateTopics_result(rkev);
        CHECK(res != NULL);
        err = rd_kafka_event_error(rkev);
        if (!err) {
                topics = rd_kafka_CreateTopics_result_topics(res, &cnt);
                CHECK(cnt == 1);
                if (cnt == 1) {
                        CHECK(!strcmp(rd_kafka_topic_result_name(topics[0]), name));
                        err = rd_kafka_topic_result_error(topics[0]);
                        CHECK((err == RD_KAFKA_RESP_ERR_NO_ERROR) ==
                              (rd_kafka_topic_result_error_string(topics[0]) == NULL));
                }
        }
        rd_kafka_event_destroy(rkev);
        return err;
}

static void check_options(rd_kafka_t *rk) {
        rd_kafka_AdminOptions_t *o;
        rd_kafka_error_t *error;
        rd_kafka_consumer_group_state_t states[] = {RD_KAFKA_CONSUMER_GROUP_STATE_STABLE};

        CHECK(rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP__CNT) == NULL);
        o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
        errstr[0] = 0;
        CHECK(rd_kafka_AdminOptions_set_operation_timeout(o, 1000, errstr, sizeof(errstr)) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(errstr[0] != 0);
        CHECK(rd_kafka_AdminOptions_set_validate_only(o, 1, errstr, sizeof(errstr)) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_AdminOptions_set_request_timeout(o, 1000, errstr, sizeof(errstr)) == 0);
        CHECK(rd_kafka_AdminOptions_set_request_timeout(o, -5, errstr, sizeof(errstr)) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_AdminOptions_set_broker(o, 1, errstr, sizeof(errstr)) == 0);
        error = rd_kafka_AdminOptions_set_require_stable_offsets(o, 1);
        CHECK(error != NULL && rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        rd_kafka_error_destroy(error);
        rd_kafka_AdminOptions_destroy(o);

        o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ANY);
        CHECK(rd_kafka_AdminOptions_set_operation_timeout(o, 1000, errstr, sizeof(errstr)) == 0);
        CHECK(rd_kafka_AdminOptions_set_match_consumer_group_states(o, states, 1) == NULL);
        rd_kafka_AdminOptions_destroy(o);

        CHECK(rd_kafka_NewTopic_new("x", -2, 1, errstr, sizeof(errstr)) == NULL);
        CHECK(strstr(errstr, "num_partitions") != NULL);
        {
                int32_t brokers[] = {1};
                rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new("x", -1, 2, errstr, sizeof(errstr));
                rd_kafka_NewPartitions_t *np;
                CHECK(rd_kafka_NewTopic_set_replica_assignment(nt, 0, brokers, 1, errstr, sizeof(errstr)) ==
                      RD_KAFKA_RESP_ERR__INVALID_ARG);
                rd_kafka_NewTopic_destroy(nt);
                nt = rd_kafka_NewTopic_new("x", -1, -1, errstr, sizeof(errstr));
                CHECK(rd_kafka_NewTopic_set_replica_assignment(nt, 0, brokers, 1, errstr, sizeof(errstr)) ==
                      RD_KAFKA_RESP_ERR__INVALID_ARG);
                rd_kafka_NewTopic_destroy(nt);
                nt = rd_kafka_NewTopic_new("x", 2, -1, errstr, sizeof(errstr));
                CHECK(rd_kafka_NewTopic_set_replica_assignment(nt, 1, brokers, 1, errstr, sizeof(errstr)) ==
                      RD_KAFKA_RESP_ERR__INVALID_ARG);
                CHECK(rd_kafka_NewTopic_set_replica_assignment(nt, 0, brokers, 1, errstr, sizeof(errstr)) == 0);
                rd_kafka_NewTopic_destroy_array(&nt, 1);
                CHECK(rd_kafka_NewPartitions_new("x", 0, errstr, sizeof(errstr)) == NULL);
                np = rd_kafka_NewPartitions_new("x", 3, errstr, sizeof(errstr));
                CHECK(rd_kafka_NewPartitions_set_replica_assignment(np, 0, brokers, 1, errstr, sizeof(errstr)) == 0);
                rd_kafka_NewPartitions_destroy(np);
        }
}

/* A bad option for an API and bad arguments fail the call with
 * _INVALID_ARG in its result event. */
static void check_local_errors(rd_kafka_t *rk, rd_kafka_queue_t *q) {
        rd_kafka_NewTopic_t *nts[2];
        rd_kafka_event_t *rkev;
        rd_kafka_DeleteRecords_t *dr;
        rd_kafka_topic_partition_list_t *empty = rd_kafka_topic_partition_list_new(0);

        /* An empty CreateTopics fails locally. */
        rd_kafka_CreateTopics(rk, nts, 0, NULL, q);
        rkev = wait_result(q, RD_KAFKA_EVENT_CREATETOPICS_RESULT);
        CHECK(rkev && rd_kafka_event_error(rkev) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rkev && rd_kafka_event_error_string(rkev) != NULL);
        rd_kafka_event_destroy(rkev);

        rd_kafka_DeleteTopics(rk, NULL, 0, NULL, q);
        rkev = wait_result(q, RD_KAFKA_EVENT_DELETETOPICS_RESULT);
        CHECK(rkev && rd_kafka_event_error(rkev) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        rd_kafka_event_destroy(rkev);

        dr = rd_kafka_DeleteRecords_new(empty);
        rd_kafka_DeleteRecords(rk, &dr, 1, NULL, q);
        rd_kafka_DeleteRecords_destroy(dr);
        rd_kafka_topic_partition_list_destroy(empty);
        rkev = wait_result(q, RD_KAFKA_EVENT_DELETERECORDS_RESULT);
        CHECK(rkev && rd_kafka_event_error(rkev) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        rd_kafka_event_destroy(rkev);
}

static int partition_count(rd_kafka_t *rk, const char *name) {
        const rd_kafka_metadata_t *md;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, name, NULL);
        int n = -1;
        if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == 0) {
                if (md->topic_cnt == 1 && !md->topics[0].err)
                        n = md->topics[0].partition_cnt;
                rd_kafka_metadata_destroy(md);
        }
        rd_kafka_topic_destroy(rkt);
        return n;
}

static rd_kafka_resp_err_t create_partitions(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *name, int total) {
        rd_kafka_NewPartitions_t *np = rd_kafka_NewPartitions_new(name, total, errstr, sizeof(errstr));
        rd_kafka_event_t *rkev;
        const rd_kafka_topic_result_t **topics;
        size_t cnt = 0;
        rd_kafka_resp_err_t err;

        rd_kafka_CreatePartitions(rk, &np, 1, NULL, q);
        rd_kafka_NewPartitions_destroy(np);
        rkev = wait_result(q, RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT);
        if (!rkev)
                return RD_KAFKA_RESP_ERR__TIMED_OUT;
        err = rd_kafka_event_error(rkev);
        topics = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(rkev), &cnt);
        CHECK(err || cnt == 1);
        if (!err && cnt == 1)
                err = rd_kafka_topic_result_error(topics[0]);
        rd_kafka_event_destroy(rkev);
        return err;
}

/* Describes topic NAME; returns the value of config KEY (static buffer),
 * checking its source and default flag. */
static const char *describe(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *name, const char *key,
                            rd_kafka_resp_err_t *resource_err, int *is_default, int *synonym_cnt) {
        static char value[256];
        rd_kafka_ConfigResource_t *cr = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name);
        rd_kafka_event_t *rkev;
        const rd_kafka_ConfigResource_t **res;
        size_t cnt = 0, i;

        value[0] = 0;
        *resource_err = RD_KAFKA_RESP_ERR__FAIL;
        rd_kafka_DescribeConfigs(rk, &cr, 1, NULL, q);
        rd_kafka_ConfigResource_destroy(cr);
        rkev = wait_result(q, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT);
        if (!rkev)
                return NULL;
        CHECK(rd_kafka_event_error(rkev) == 0);
        res = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(rkev), &cnt);
        CHECK(cnt == 1);
        if (cnt == 1) {
                const rd_kafka_ConfigEntry_t **entries;
                size_t n = 0;
                *resource_err = rd_kafka_ConfigResource_error(res[0]);
                CHECK(rd_kafka_ConfigResource_type(res[0]) == RD_KAFKA_RESOURCE_TOPIC);
                CHECK(!strcmp(rd_kafka_ConfigResource_name(res[0]), name));
                entries = rd_kafka_ConfigResource_configs(res[0], &n);
                for (i = 0; i < n; i++) {
                        if (strcmp(rd_kafka_ConfigEntry_name(entries[i]), key))
                                continue;
                        snprintf(value, sizeof(value), "%s",
                                 rd_kafka_ConfigEntry_value(entries[i]) ? rd_kafka_ConfigEntry_value(entries[i])
                                                                        : "(null)");
                        *is_default = rd_kafka_ConfigEntry_is_default(entries[i]);
                        CHECK(rd_kafka_ConfigEntry_is_synonym(entries[i]) == 0);
                        CHECK(rd_kafka_ConfigEntry_is_sensitive(entries[i]) == 0);
                        CHECK(rd_kafka_ConfigEntry_is_read_only(entries[i]) == 0);
                        CHECK(*is_default == (rd_kafka_ConfigEntry_source(entries[i]) ==
                                              RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG));
                        printf("config %s=%s source=%s default=%d\n", key, value,
                               rd_kafka_ConfigSource_name(rd_kafka_ConfigEntry_source(entries[i])), *is_default);
                        {
                                size_t s = 0, j;
                                const rd_kafka_ConfigEntry_t **syn = rd_kafka_ConfigEntry_synonyms(entries[i], &s);
                                *synonym_cnt = (int)s;
                                for (j = 0; j < s; j++)
                                        CHECK(rd_kafka_ConfigEntry_is_synonym(syn[j]) == 1);
                        }
                }
        }
        rd_kafka_event_destroy(rkev);
        return value;
}

static rd_kafka_resp_err_t alter(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *name, const char *key,
                                 const char *value, int validate_only) {
        rd_kafka_ConfigResource_t *cr = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name);
        rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ALTERCONFIGS);
        rd_kafka_event_t *rkev;
        const rd_kafka_ConfigResource_t **res;
        size_t cnt = 0;
        rd_kafka_resp_err_t err;

        CHECK(rd_kafka_ConfigResource_set_config(cr, key, value) == 0);
        CHECK(rd_kafka_AdminOptions_set_validate_only(o, validate_only, errstr, sizeof(errstr)) == 0);
        rd_kafka_AlterConfigs(rk, &cr, 1, o, q);
        rd_kafka_ConfigResource_destroy_array(&cr, 1);
        rd_kafka_AdminOptions_destroy(o);
        rkev = wait_result(q, RD_KAFKA_EVENT_ALTERCONFIGS_RESULT);
        if (!rkev)
                return RD_KAFKA_RESP_ERR__TIMED_OUT;
        err = rd_kafka_event_error(rkev);
        res = rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(rkev), &cnt);
        if (!err && cnt == 1) {
                err = rd_kafka_ConfigResource_error(res[0]);
                CHECK((err == 0) == (rd_kafka_ConfigResource_error_string(res[0]) == NULL));
        }
        rd_kafka_event_destroy(rkev);
        return err;
}

static void produce_ten(rd_kafka_t *rk, const char *name) {
        int i;
        for (i = 0; i < 10; i++)
                CHECK(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(name), RD_KAFKA_V_PARTITION(0),
                                        RD_KAFKA_V_VALUE("v", 1), RD_KAFKA_V_END) == 0);
        CHECK(rd_kafka_flush(rk, 10000) == 0);
}

static rd_kafka_resp_err_t delete_records(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *name, int64_t before,
                                          int64_t *low) {
        rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(1);
        rd_kafka_DeleteRecords_t *dr;
        rd_kafka_event_t *rkev;
        const rd_kafka_topic_partition_list_t *result;
        rd_kafka_resp_err_t err;

        rd_kafka_topic_partition_list_add(offsets, name, 0)->offset = before;
        dr = rd_kafka_DeleteRecords_new(offsets);
        rd_kafka_topic_partition_list_destroy(offsets);
        rd_kafka_DeleteRecords(rk, &dr, 1, NULL, q);
        rd_kafka_DeleteRecords_destroy_array(&dr, 1);
        rkev = wait_result(q, RD_KAFKA_EVENT_DELETERECORDS_RESULT);
        if (!rkev)
                return RD_KAFKA_RESP_ERR__TIMED_OUT;
        err = rd_kafka_event_error(rkev);
        result = rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(rkev));
        CHECK(err || (result && result->cnt == 1));
        if (!err && result && result->cnt == 1) {
                err = result->elems[0].err;
                *low = result->elems[0].offset;
        }
        rd_kafka_event_destroy(rkev);
        return err;
}

static rd_kafka_resp_err_t delete_topic(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *name) {
        rd_kafka_DeleteTopic_t *dt = rd_kafka_DeleteTopic_new(name);
        rd_kafka_event_t *rkev;
        const rd_kafka_topic_result_t **topics;
        size_t cnt = 0;
        rd_kafka_resp_err_t err;

        rd_kafka_DeleteTopics(rk, &dt, 1, NULL, q);
        rd_kafka_DeleteTopic_destroy(dt);
        rkev = wait_result(q, RD_KAFKA_EVENT_DELETETOPICS_RESULT);
        if (!rkev)
                return RD_KAFKA_RESP_ERR__TIMED_OUT;
        err = rd_kafka_event_error(rkev);
        topics = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(rkev), &cnt);
        if (!err && cnt == 1)
                err = rd_kafka_topic_result_error(topics[0]);
        rd_kafka_event_destroy(rkev);
        return err;
}

static volatile int background_results;

static void background_cb(rd_kafka_t *rk, rd_kafka_event_t *rkev, void *opaque) {
        (void)rk;
        (void)opaque;
        if (rd_kafka_event_type(rkev) == RD_KAFKA_EVENT_CREATETOPICS_RESULT && !rd_kafka_event_error(rkev))
                background_results++;
        rd_kafka_event_destroy(rkev);
}

/* Results through the background queue and its callback, and on the
 * main queue. */
static void check_other_queues(const char *bootstrap, int mock) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        rd_kafka_queue_t *bg, *mainq;
        rd_kafka_NewTopic_t *nt;
        struct timespec tick = {0, 100 * 1000 * 1000};
        int i;

        if (mock)
                rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", errstr, sizeof(errstr));
        else
                rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr));
        rd_kafka_conf_set_background_event_cb(conf, background_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL);
        bg = rd_kafka_queue_get_background(rk);
        CHECK(bg != NULL);
        nt = rd_kafka_NewTopic_new(topic_b, 1, 1, errstr, sizeof(errstr));
        rd_kafka_CreateTopics(rk, &nt, 1, NULL, bg);
        rd_kafka_NewTopic_destroy(nt);
        for (i = 0; i < 300 && !background_results; i++)
                nanosleep(&tick, NULL);
        CHECK(background_results == 1);
        rd_kafka_queue_destroy(bg);

        mainq = rd_kafka_queue_get_main(rk);
        CHECK(delete_topic(rk, mainq, topic_b) == RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_queue_destroy(mainq);
        rd_kafka_destroy(rk);
}

/* Pushed errors: a retriable NOT_CONTROLLER is retried, any other one
 * reaches the topic's result; a cluster that is down times out. */
static void check_faults(rd_kafka_t *rk, rd_kafka_queue_t *q) {
        rd_kafka_mock_cluster_t *mc = rd_kafka_handle_mock_cluster(rk);
        rd_kafka_resp_err_t two[] = {RD_KAFKA_RESP_ERR_NOT_CONTROLLER, RD_KAFKA_RESP_ERR_NOT_CONTROLLER};
        rd_kafka_resp_err_t denied[] = {RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED};
        rd_kafka_AdminOptions_t *o;
        rd_kafka_ConfigResource_t *cr;
        rd_kafka_event_t *rkev;
        int b;

        CHECK(mc != NULL);
        if (!mc)
                return;
        rd_kafka_mock_push_request_errors_array(mc, 19 /* CreateTopics */, 2, two);
        CHECK(create_topic(rk, q, topic_c, 1, 0, NULL, NULL) == RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_mock_push_request_errors_array(mc, 20 /* DeleteTopics */, 1, denied);
        CHECK(delete_topic(rk, q, topic_c) == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
        CHECK(delete_topic(rk, q, topic_c) == RD_KAFKA_RESP_ERR_NO_ERROR);

        for (b = 1; b <= 3; b++)
                rd_kafka_mock_broker_set_down(mc, b);
        o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
        CHECK(rd_kafka_AdminOptions_set_request_timeout(o, 1500, errstr, sizeof(errstr)) == 0);
        cr = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic_a);
        rd_kafka_DescribeConfigs(rk, &cr, 1, o, q);
        rd_kafka_ConfigResource_destroy(cr);
        rd_kafka_AdminOptions_destroy(o);
        rkev = wait_result(q, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT);
        CHECK(rkev && rd_kafka_event_error(rkev) == RD_KAFKA_RESP_ERR__TIMED_OUT);
        rd_kafka_event_destroy(rkev);
        for (b = 1; b <= 3; b++)
                rd_kafka_mock_broker_set_up(mc, b);
}

int main(int argc, char **argv) {
        int mock = argc == 3 && !strcmp(argv[1], "mock");
        const char *bootstrap = mock ? NULL : argv[2];
        const char *prefix = mock ? argv[2] : argv[3];
        const char *features = mock ? "vpdar" : argv[4];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_queue_t *q;
        rd_kafka_resp_err_t rerr;
        int is_default = -1, synonyms = -1;
        const char *v;
        int64_t low = -1;

        if (!mock && argc != 5) {
                fprintf(stderr, "usage: admin_calls mock PREFIX | broker BOOTSTRAP PREFIX FEATURES\n");
                return 2;
        }
        printf("version=%s\n", rd_kafka_version_str());
        snprintf(topic_a, sizeof(topic_a), "%s-a", prefix);
        snprintf(topic_b, sizeof(topic_b), "%s-b", prefix);
        snprintf(topic_c, sizeof(topic_c), "%s-c", prefix);

        conf = rd_kafka_conf_new();
        if (mock)
                CHECK(rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", errstr, sizeof(errstr)) == 0);
        else
                CHECK(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) == 0);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 1;
        }
        q = rd_kafka_queue_new(rk);

        check_options(rk);
        check_local_errors(rk, q);

        /* validate_only creates nothing: the real creation below succeeds. */
        if (strchr(features, 'v'))
                CHECK(create_topic(rk, q, topic_a, 3, 1, NULL, NULL) == RD_KAFKA_RESP_ERR_NO_ERROR);
        rerr = create_topic(rk, q, topic_a, 3, 0, "retention.ms", "12345");
        printf("create: %s\n", rd_kafka_err2name(rerr));
        CHECK(rerr == RD_KAFKA_RESP_ERR_NO_ERROR);
        rerr = create_topic(rk, q, topic_a, 3, 0, NULL, NULL);
        printf("create again: %s\n", rd_kafka_err2name(rerr));
        CHECK(rerr == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
        CHECK(partition_count(rk, topic_a) == 3);

        if (strchr(features, 'p')) {
                rerr = create_partitions(rk, q, topic_a, 2);
                printf("shrink partitions: %s\n", rd_kafka_err2name(rerr));
                CHECK(rerr == RD_KAFKA_RESP_ERR_INVALID_PARTITIONS);
                CHECK(create_partitions(rk, q, topic_a, 5) == RD_KAFKA_RESP_ERR_NO_ERROR);
                CHECK(partition_count(rk, topic_a) == 5);
        }
        if (strchr(features, 'd')) {
                v = describe(rk, q, topic_a, "retention.ms", &rerr, &is_default, &synonyms);
                CHECK(rerr == RD_KAFKA_RESP_ERR_NO_ERROR);
                CHECK(v && !strcmp(v, "12345"));
                CHECK(is_default == 0);
                CHECK(synonyms >= 1);
                v = describe(rk, q, topic_a, "cleanup.policy", &rerr, &is_default, &synonyms);
                CHECK(v && !strcmp(v, "delete"));
                CHECK(is_default == 1);
                describe(rk, q, topic_c, "retention.ms", &rerr, &is_default, &synonyms);
                printf("describe missing topic: %s\n", rd_kafka_err2name(rerr));
                CHECK(rerr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
        }
        if (strchr(features, 'D')) {
                describe(rk, q, topic_a, "retention.ms", &rerr, &is_default, &synonyms);
                CHECK(rerr == RD_KAFKA_RESP_ERR_NO_ERROR);
        }
        if (strchr(features, 'U')) {
                rerr = create_partitions(rk, q, topic_a, 5);
                printf("CreatePartitions: %s\n", rd_kafka_err2name(rerr));
                CHECK(rerr == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE);
                rerr = alter(rk, q, topic_a, "retention.ms", "999", 0);
                printf("AlterConfigs: %s\n", rd_kafka_err2name(rerr));
                CHECK(rerr == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE);
        }
        if (strchr(features, 'a')) {
                CHECK(alter(rk, q, topic_a, "retention.ms", "999", 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
                CHECK(alter(rk, q, topic_a, "retention.ms", "999", 0) == RD_KAFKA_RESP_ERR_NO_ERROR);
                rerr = alter(rk, q, topic_a, "no.such.config", "1", 0);
                printf("alter unknown config: %s\n", rd_kafka_err2name(rerr));
                CHECK(rerr == RD_KAFKA_RESP_ERR_INVALID_CONFIG);
                if (strchr(features, 'd')) {
                        v = describe(rk, q, topic_a, "retention.ms", &rerr, &is_default, &synonyms);
                        CHECK(v && !strcmp(v, "999"));
                }
        }
        if (strchr(features, 'r')) {
                int64_t lo = -1, hi = -1;
                produce_ten(rk, topic_a);
                CHECK(delete_records(rk, q, topic_a, 4, &low) == RD_KAFKA_RESP_ERR_NO_ERROR);
                CHECK(low == 4);
                CHECK(rd_kafka_query_watermark_offsets(rk, topic_a, 0, &lo, &hi, 10000) == 0);
                printf("watermarks after DeleteRecords: %lld..%lld\n", (long long)lo, (long long)hi);
                CHECK(lo == 4 && hi == 10);
                rerr = delete_records(rk, q, topic_a, 100, &low);
                printf("delete past the end: %s\n", rd_kafka_err2name(rerr));
                CHECK(rerr == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
        }
        if (mock)
                check_faults(rk, q);

        CHECK(delete_topic(rk, q, topic_a) == RD_KAFKA_RESP_ERR_NO_ERROR);
        rerr = delete_topic(rk, q, topic_a);
        printf("delete again: %s\n", rd_kafka_err2name(rerr));
        CHECK(rerr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);

        rd_kafka_queue_destroy(q);
        rd_kafka_destroy(rk);
        check_other_queues(bootstrap, mock);
        return report();
}
