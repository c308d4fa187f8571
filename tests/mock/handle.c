/*
 * The mock cluster C API on a client created with test.mock.num.brokers:
 * rd_kafka_handle_mock_cluster() finds the embedded cluster, the control
 * functions work on it and report bad arguments, and a message produced
 * through the client is delivered to it. A second, explicitly created
 * cluster is independent and destroyed by its creator.
 *
 * Prints "all ok" and exits 0 on success; otherwise names the first
 * failed check on stderr and exits 1.
 */
#include <stdio.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define CHECK(cond)                                                            \
        do {                                                                   \
                if (!(cond)) {                                                 \
                        fprintf(stderr, "%s:%d: check failed: %s\n",           \
                                __FILE__, __LINE__, #cond);                    \
                        return 1;                                              \
                }                                                              \
        } while (0)

static int delivered;
static rd_kafka_resp_err_t delivery_err = RD_KAFKA_RESP_ERR__FAIL;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        delivered++;
        delivery_err = m->err;
}

int main(void) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc, *own;
        const char *bootstraps;
        size_t cnt = 99;
        int commas = 0;
        const char *p;

        CHECK(rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", errstr,
                                sizeof(errstr)) == RD_KAFKA_CONF_OK);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL);

        mc = rd_kafka_handle_mock_cluster(rk);
        CHECK(mc != NULL);
        CHECK(rd_kafka_mock_cluster_handle(mc) == rk);
        bootstraps = rd_kafka_mock_cluster_bootstraps(mc);
        CHECK(bootstraps != NULL && !strncmp(bootstraps, "127.0.0.1:", 10));
        for (p = bootstraps; *p; p++)
                commas += *p == ',';
        CHECK(commas == 2);

        CHECK(rd_kafka_mock_topic_create(mc, "ctopic", 2, 3) ==
              RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK(rd_kafka_mock_topic_create(mc, "ctopic", 2, 3) ==
              RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
        CHECK(rd_kafka_mock_topic_create(mc, "other", 1, 4) ==
              RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR);
        CHECK(rd_kafka_mock_partition_set_leader(mc, "ctopic", 7, 1) ==
              RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        CHECK(rd_kafka_mock_partition_set_leader(mc, "ctopic", 0, 9) ==
              RD_KAFKA_RESP_ERR__UNKNOWN_BROKER);
        CHECK(rd_kafka_mock_partition_set_leader(mc, "ctopic", 0, 2) == 0);
        CHECK(rd_kafka_mock_partition_set_follower(mc, "ctopic", 0, 3) == 0);
        CHECK(rd_kafka_mock_partition_set_follower_wmarks(mc, "ctopic", 0, -1, -1) == 0);
        CHECK(rd_kafka_mock_broker_set_rtt(mc, 1, 0) == 0);
        CHECK(rd_kafka_mock_broker_set_rack(mc, 1, "rack-a") == 0);
        CHECK(rd_kafka_mock_coordinator_set(mc, "group", "g", 2) == 0);
        CHECK(rd_kafka_mock_coordinator_set(mc, "nonsense", "g", 2) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_mock_set_apiversion(mc, 3, 0, 9) == 0);
        CHECK(rd_kafka_mock_broker_set_down(NULL, 1) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);

        /* Pushed errors: the variadic forms and the stack count. */
        CHECK(rd_kafka_mock_broker_push_request_error_rtts(
                  mc, 2, 3, 2, RD_KAFKA_RESP_ERR_NO_ERROR, 1,
                  RD_KAFKA_RESP_ERR_NO_ERROR, 1) == 0);
        CHECK(rd_kafka_mock_broker_error_stack_cnt(mc, 2, 3, &cnt) == 0);
        CHECK(cnt == 2);
        CHECK(rd_kafka_mock_broker_error_stack_cnt(mc, 42, 3, &cnt) ==
              RD_KAFKA_RESP_ERR__UNKNOWN_BROKER);
        rd_kafka_mock_push_request_errors(mc, 0, 2,
                                          RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                                          RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
        rd_kafka_mock_clear_request_errors(mc, 0);
        rd_kafka_mock_topic_set_error(mc, "ctopic", RD_KAFKA_RESP_ERR_NO_ERROR);

        /* A message through the client reaches the embedded cluster. */
        CHECK(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("ctopic"),
                                RD_KAFKA_V_PARTITION(0),
                                RD_KAFKA_V_VALUE("hello", 5),
                                RD_KAFKA_V_END) == 0);
        CHECK(rd_kafka_flush(rk, 30000) == 0);
        rd_kafka_poll(rk, 0);
        CHECK(delivered == 1);
        CHECK(delivery_err == RD_KAFKA_RESP_ERR_NO_ERROR);

        /* An explicitly created cluster is the caller's to destroy. */
        own = rd_kafka_mock_cluster_new(rk, 1);
        CHECK(own != NULL && own != mc);
        CHECK(rd_kafka_mock_cluster_handle(own) == rk);
        CHECK(strcmp(rd_kafka_mock_cluster_bootstraps(own), bootstraps) != 0);
        CHECK(rd_kafka_mock_cluster_new(rk, 0) == NULL);
        CHECK(rd_kafka_mock_broker_set_down(own, 1) == 0);
        CHECK(rd_kafka_mock_broker_set_up(own, 1) == 0);
        rd_kafka_mock_cluster_destroy(own);

        rd_kafka_destroy(rk);
        printf("all ok\n");
        return 0;
}
