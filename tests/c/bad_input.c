/*
 * bad_input: feeds the producer-side C API wrong input and prints what
 * came back, one line per case, so the test can compare against
 * librdkafka's answers.
 *
 * usage: bad_input conf|topics|null
 *   conf    unknown and invalid properties: "<case> res=<n> errstr=<0|1>"
 *   topics  empty and over-long topic names: "<case> rkt=<0|1> err=<NAME>"
 *   null    NULL for every handle argument of the producer API (only
 *           meaningful for ferrokafka: librdkafka dereferences most of
 *           them); prints "null-ok" when it survived
 */
#include <librdkafka/rdkafka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void conf_case(const char *name, rd_kafka_conf_t *conf, const char *key,
                      const char *value) {
        char errstr[512];
        rd_kafka_conf_res_t res;
        errstr[0] = '\0';
        res       = rd_kafka_conf_set(conf, key, value, errstr, sizeof(errstr));
        printf("%s res=%d errstr=%d\n", name, (int)res, errstr[0] != '\0');
        if (errstr[0])
                fprintf(stderr, "%s: %s\n", name, errstr);
}

static void tconf_case(const char *name, rd_kafka_topic_conf_t *conf, const char *key,
                       const char *value) {
        char errstr[512];
        rd_kafka_conf_res_t res;
        errstr[0] = '\0';
        res       = rd_kafka_topic_conf_set(conf, key, value, errstr, sizeof(errstr));
        printf("%s res=%d errstr=%d\n", name, (int)res, errstr[0] != '\0');
        if (errstr[0])
                fprintf(stderr, "%s: %s\n", name, errstr);
}

static int run_conf(void) {
        rd_kafka_conf_t *conf        = rd_kafka_conf_new();
        rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
        conf_case("unknown", conf, "no.such.property", "1");
        conf_case("not-a-number", conf, "queue.buffering.max.messages", "lots");
        conf_case("below-range", conf, "queue.buffering.max.messages", "-1");
        conf_case("above-range", conf, "message.max.bytes", "2000000000");
        conf_case("bad-enum", conf, "compression.codec", "brotli");
        conf_case("bad-bool", conf, "enable.idempotence", "maybe");
        conf_case("bad-debug", conf, "debug", "broker,nonsense");
        conf_case("good", conf, "linger.ms", "7");
        tconf_case("topic-unknown", tconf, "no.such.topic.property", "1");
        tconf_case("topic-bad-acks", tconf, "acks", "some");
        tconf_case("topic-bad-partitioner", tconf, "partitioner", "dice");
        tconf_case("topic-good", tconf, "acks", "all");
        rd_kafka_topic_conf_destroy(tconf);
        rd_kafka_conf_destroy(conf);
        return 0;
}

static void topic_case(rd_kafka_t *rk, const char *name, const char *topic) {
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        printf("%s rkt=%d err=%s\n", name, rkt != NULL,
               rkt ? "NO_ERROR" : rd_kafka_err2name(rd_kafka_last_error()));
        if (rkt)
                rd_kafka_topic_destroy(rkt);
}

static int run_topics(void) {
        char errstr[512];
        char *longname = malloc(1001);
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        rd_kafka_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", errstr, sizeof(errstr));
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 2;
        }
        memset(longname, 'x', 1000);
        longname[1000] = '\0';
        topic_case(rk, "null-name", NULL);
        topic_case(rk, "empty", "");
        topic_case(rk, "too-long", longname);
        topic_case(rk, "normal", "fine");
        rd_kafka_destroy(rk);
        free(longname);
        return 0;
}

static int run_null(void) {
        char errstr[64];
        char payload[4] = "abc";
        rd_kafka_message_t msg;
        rd_kafka_error_t *error;
        rd_kafka_vu_t vu;
        int failures = 0;

        memset(&msg, 0, sizeof(msg));
        vu.vtype = RD_KAFKA_VTYPE_END;
#define EXPECT(cond)                                                                           \
        do {                                                                                   \
                if (!(cond)) {                                                                 \
                        printf("unexpected: %s\n", #cond);                                     \
                        failures++;                                                            \
                }                                                                              \
        } while (0)

        EXPECT(rd_kafka_produce(NULL, 0, RD_KAFKA_MSG_F_COPY, payload, 3, NULL, 0, NULL) == -1);
        EXPECT(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__INVALID_ARG);
        EXPECT(rd_kafka_producev(NULL, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_END) != 0);
        error = rd_kafka_produceva(NULL, &vu, 1);
        EXPECT(error != NULL);
        if (error) {
                EXPECT(rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__INVALID_ARG);
                rd_kafka_error_destroy(error);
        }
        EXPECT(rd_kafka_produce_batch(NULL, 0, 0, &msg, 1) == 0);
        EXPECT(rd_kafka_poll(NULL, 0) == 0);
        EXPECT(rd_kafka_flush(NULL, 0) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        EXPECT(rd_kafka_purge(NULL, RD_KAFKA_PURGE_F_QUEUE) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        EXPECT(rd_kafka_outq_len(NULL) == 0);
        EXPECT(rd_kafka_topic_new(NULL, "t", NULL) == NULL);
        EXPECT(rd_kafka_topic_name(NULL) == NULL);
        EXPECT(rd_kafka_topic_opaque(NULL) == NULL);
        EXPECT(rd_kafka_topic_partition_available(NULL, 0) == 0);
        rd_kafka_topic_destroy(NULL);
        EXPECT(rd_kafka_conf_set(NULL, "linger.ms", "1", errstr, sizeof(errstr)) !=
               RD_KAFKA_CONF_OK);
        EXPECT(rd_kafka_message_timestamp(NULL, NULL) == -1);
        rd_kafka_conf_set_dr_msg_cb(NULL, NULL);
        rd_kafka_conf_set_error_cb(NULL, NULL);
        rd_kafka_yield(NULL);
        rd_kafka_destroy(NULL);
        printf("%s failures=%d\n", failures ? "null-failed" : "null-ok", failures);
        return failures ? 1 : 0;
}

int main(int argc, char **argv) {
        if (argc != 2) {
                fprintf(stderr, "usage: %s conf|topics|null\n", argv[0]);
                return 2;
        }
        if (!strcmp(argv[1], "conf"))
                return run_conf();
        if (!strcmp(argv[1], "topics"))
                return run_topics();
        if (!strcmp(argv[1], "null"))
                return run_null();
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
}
