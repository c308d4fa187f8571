/*
 * Compiled (never run) as C99 and C++11 with every warning an error, to
 * prove the header is clean under strict settings and that the
 * RD_KAFKA_V_* builders type-check their arguments without GNU extensions.
 */
#include <librdkafka/rdkafka.h>

rd_kafka_resp_err_t produce_one(rd_kafka_t *rk, rd_kafka_headers_t *hdrs);

rd_kafka_resp_err_t produce_one(rd_kafka_t *rk, rd_kafka_headers_t *hdrs) {
        char payload[] = "value";
        const char *key = "key";
        struct rd_kafka_message_s *by_tag = NULL;
        rd_kafka_message_t *by_typedef = by_tag;
        rd_kafka_resp_err_t alias = RD_KAFKA_RESP_ERR_GROUP_LOAD_IN_PROGRESS;

        (void)by_typedef;
        if (alias == RD_KAFKA_RESP_ERR_NOT_COORDINATOR_FOR_GROUP)
                return alias;
        return rd_kafka_producev(
            rk, RD_KAFKA_V_TOPIC("topic"),
            RD_KAFKA_V_PARTITION(RD_KAFKA_PARTITION_UA),
            RD_KAFKA_V_VALUE(payload, sizeof(payload)),
            RD_KAFKA_V_KEY(key, 3), RD_KAFKA_V_OPAQUE(NULL),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_TIMESTAMP(1234),
            RD_KAFKA_V_HEADER("h", "v", -1), RD_KAFKA_V_HEADERS(hdrs),
            RD_KAFKA_V_END);
}
