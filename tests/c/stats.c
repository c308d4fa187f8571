/*
 * stats: a producer on the embedded mock cluster with
 * statistics.interval.ms=100 and a stats_cb; produces 100 messages,
 * serves callbacks for 1.5 s, and prints the number of statistics
 * documents received and the last document (one line, for a JSON check).
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int docs;
static char last[65536];

static int stats_cb(rd_kafka_t *rk, char *json, size_t json_len, void *opaque) {
        (void)rk;
        (void)opaque;
        docs++;
        if (json_len < sizeof(last)) {
                memcpy(last, json, json_len);
                last[json_len] = '\0';
        }
        return 0; /* the library frees json */
}

int main(void) {
        char errstr[256];
        int i;
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", NULL, 0);
        if (rd_kafka_conf_set(conf, "statistics.interval.ms", "100", errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        rd_kafka_conf_set_stats_cb(conf, stats_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        for (i = 0; i < 100; i++)
                rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("stats"), RD_KAFKA_V_VALUE("x", 1),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        rd_kafka_flush(rk, 10000);
        for (i = 0; i < 15; i++)
                rd_kafka_poll(rk, 100);
        rd_kafka_destroy(rk);
        printf("docs=%d\n%s\n", docs, last);
        return docs > 0 ? 0 : 1;
}
