/*
 * offset_range: reads exactly the messages [OFFSET, OFFSET+COUNT) of one
 * partition as a unit of work, prints them, and stops. No consumer group:
 * the partition is assigned directly.
 *
 * usage: offset_range BROKERS TOPIC PARTITION OFFSET COUNT
 *
 * Exits 0 when all COUNT messages were read, 1 if the partition ended (or
 * 30 s passed) first.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_topic_partition_list_t *parts;
        int32_t partition;
        int64_t offset, count, next, end;
        time_t deadline;
        int eof = 0;

        if (argc != 6) {
                fprintf(stderr, "usage: %s BROKERS TOPIC PARTITION OFFSET COUNT\n", argv[0]);
                return 2;
        }
        partition = (int32_t)atoi(argv[3]);
        offset = strtoll(argv[4], NULL, 10);
        count = strtoll(argv[5], NULL, 10);
        end = offset + count;

        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, argv[2], partition)->offset = offset;
        rd_kafka_assign(rk, parts);
        rd_kafka_topic_partition_list_destroy(parts);

        next = offset;
        deadline = time(NULL) + 30;
        while (next < end && !eof && time(NULL) < deadline) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
                if (!m)
                        continue;
                if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        eof = 1;
                } else if (m->err) {
                        fprintf(stderr, "%% Error: %s\n", rd_kafka_message_errstr(m));
                } else if (m->offset >= next && m->offset < end) {
                        printf("%lld\t%.*s\n", (long long)m->offset, (int)m->len, (const char *)m->payload);
                        next = m->offset + 1;
                }
                rd_kafka_message_destroy(m);
        }
        rd_kafka_assign(rk, NULL);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        fprintf(stderr, "%% Read %lld of %lld messages\n", (long long)(next - offset), (long long)count);
        return next == end ? 0 : 1;
}
