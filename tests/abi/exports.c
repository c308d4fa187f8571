/*
 * Links against the built library under its librdkafka.so.1 soname and
 * exercises the error, version and header APIs plus the C-implemented
 * variadic functions, proving they are all exported. Prints "ok" last.
 */
#include <stdio.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#define CHECK(COND)                                                            \
        do {                                                                   \
                if (!(COND)) {                                                 \
                        printf("FAILED: %s (line %d)\n", #COND, __LINE__);     \
                        return 1;                                              \
                }                                                              \
        } while (0)

int main(void) {
        const struct rd_kafka_err_desc *descs;
        size_t cnt;
        rd_kafka_error_t *error;
        rd_kafka_headers_t *hdrs;
        const void *value;
        size_t size;

        printf("version %s\n", rd_kafka_version_str());
        CHECK(strstr(rd_kafka_version_str(), "ferrokafka") != NULL);
        CHECK(rd_kafka_version() == RD_KAFKA_VERSION);

        CHECK(!strcmp(rd_kafka_err2name(RD_KAFKA_RESP_ERR__QUEUE_FULL),
                      "_QUEUE_FULL"));
        CHECK(!strcmp(rd_kafka_err2str(RD_KAFKA_RESP_ERR_NO_ERROR), "Success"));
        rd_kafka_get_err_descs(&descs, &cnt);
        CHECK(cnt == 298);
        CHECK(descs[RD_KAFKA_RESP_ERR__FAIL - RD_KAFKA_RESP_ERR__BEGIN].code ==
              RD_KAFKA_RESP_ERR__FAIL);

        error = rd_kafka_error_new(RD_KAFKA_RESP_ERR__TIMED_OUT,
                                   "waited %d ms for %s", 250, "broker");
        CHECK(rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__TIMED_OUT);
        CHECK(!strcmp(rd_kafka_error_string(error), "waited 250 ms for broker"));
        CHECK(!strcmp(rd_kafka_error_name(error), "_TIMED_OUT"));
        rd_kafka_error_destroy(error);

        hdrs = rd_kafka_headers_new(4);
        CHECK(rd_kafka_header_add(hdrs, "trace", -1, "abc", -1) ==
              RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK(rd_kafka_header_get_last(hdrs, "trace", &value, &size) ==
              RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK(size == 3 && !strcmp((const char *)value, "abc"));
        CHECK(rd_kafka_header_cnt(hdrs) == 1);
        rd_kafka_headers_destroy(hdrs);

        /* No client: whatever the producer does, it must report an error. */
        CHECK(rd_kafka_producev(NULL, RD_KAFKA_V_TOPIC("t"),
                                RD_KAFKA_V_VALUE("v", 1), RD_KAFKA_V_END) !=
              RD_KAFKA_RESP_ERR_NO_ERROR);

        printf("ok\n");
        return 0;
}
