/*
 * produce_verify: produces COUNT deterministic messages through the
 * librdkafka C API and checks every delivery report.
 *
 * usage: produce_verify BOOTSTRAP TOPIC COUNT SIZE [key=value ...]
 *
 * Message i has key "key-<i>", a value of SIZE bytes ((i*31 + j*7) % 251),
 * headers "idx"="<i>" and "nullhdr"=NULL, timestamp BASE_TS + i, and its
 * own opaque (a pointer into a per-message record) so the delivery report
 * can be matched. Extra key=value arguments are configuration properties.
 *
 * Prints one line "delivered=N failed=F duplicates=D bad=B last_error=NAME"
 * and exits 0 only when every message was reported exactly once, without
 * error, with a valid offset and the payload, key and opaque it was
 * produced with.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE_TS 1700000000000LL

struct record {
        int index;
        int reports;
};

static int delivered, failed, duplicates, bad;
static rd_kafka_resp_err_t last_error;
static size_t value_size;

static void fill_value(char *buf, int index, size_t size) {
        size_t j;
        for (j = 0; j < size; j++)
                buf[j] = (char)((index * 31 + (int)j * 7) % 251);
}

/* Our timestamp comes back, unless the broker reports a log-append time
 * (librdkafka's mock cluster always does), which then replaces it. */
static int timestamp_ok(const rd_kafka_message_t *m, int index) {
        rd_kafka_timestamp_type_t tstype;
        int64_t ts = rd_kafka_message_timestamp(m, &tstype);
        if (tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME)
                return ts >= 0;
        return tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME && ts == BASE_TS + index;
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        struct record *rec = (struct record *)m->_private;
        char key[32];
        char *expected;
        rd_kafka_timestamp_type_t tstype;
        (void)rk;
        (void)opaque;
        if (!rec) {
                bad++;
                return;
        }
        if (++rec->reports > 1) {
                duplicates++;
                return;
        }
        if (m->err) {
                failed++;
                last_error = m->err;
                return;
        }
        snprintf(key, sizeof(key), "key-%d", rec->index);
        expected = malloc(value_size + 1);
        fill_value(expected, rec->index, value_size);
        if (m->offset < 0 || m->len != value_size ||
            memcmp(m->payload, expected, value_size) != 0 ||
            m->key_len != strlen(key) || memcmp(m->key, key, m->key_len) != 0 ||
            rd_kafka_message_status(m) != RD_KAFKA_MSG_STATUS_PERSISTED ||
            !timestamp_ok(m, rec->index)) {
                if (bad++ == 0)
                        fprintf(stderr,
                                "first bad report: message %d offset %lld len %zu key_len %zu "
                                "status %d timestamp %lld type %d\n",
                                rec->index, (long long)m->offset, m->len, m->key_len,
                                (int)rd_kafka_message_status(m),
                                (long long)rd_kafka_message_timestamp(m, &tstype), (int)tstype);
        }
        else
                delivered++;
        free(expected);
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        struct record *records;
        char *value;
        int count, i, arg;
        rd_kafka_resp_err_t err;

        if (argc < 5) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC COUNT SIZE [k=v ...]\n", argv[0]);
                return 2;
        }
        count = atoi(argv[3]);
        value_size = (size_t)atoi(argv[4]);
        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)) !=
            RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        for (arg = 5; arg < argc; arg++) {
                char *eq = strchr(argv[arg], '=');
                if (!eq) {
                        fprintf(stderr, "bad property %s\n", argv[arg]);
                        return 2;
                }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, argv[arg], eq + 1, errstr, sizeof(errstr)) !=
                    RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s\n", errstr);
                        return 2;
                }
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                return 2;
        }
        records = calloc((size_t)count, sizeof(*records));
        value = malloc(value_size + 1);
        for (i = 0; i < count; i++) {
                char key[32], idx[32];
                rd_kafka_headers_t *hdrs = rd_kafka_headers_new(2);
                records[i].index = i;
                snprintf(key, sizeof(key), "key-%d", i);
                snprintf(idx, sizeof(idx), "%d", i);
                rd_kafka_header_add(hdrs, "idx", -1, idx, -1);
                rd_kafka_header_add(hdrs, "nullhdr", -1, NULL, 0);
                fill_value(value, i, value_size);
                for (;;) {
                        err = rd_kafka_producev(
                            rk, RD_KAFKA_V_TOPIC(argv[2]), RD_KAFKA_V_KEY(key, strlen(key)),
                            RD_KAFKA_V_VALUE(value, value_size),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_TIMESTAMP(BASE_TS + i), RD_KAFKA_V_HEADERS(hdrs),
                            RD_KAFKA_V_OPAQUE(&records[i]), RD_KAFKA_V_END);
                        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                break;
                        rd_kafka_poll(rk, 10);
                }
                if (err) {
                        fprintf(stderr, "producev(%d) failed: %s\n", i, rd_kafka_err2str(err));
                        rd_kafka_headers_destroy(hdrs);
                        failed++;
                        last_error = err;
                        break;
                }
                rd_kafka_poll(rk, 0);
        }
        err = rd_kafka_flush(rk, 60000);
        printf("delivered=%d failed=%d duplicates=%d bad=%d last_error=%s flush=%s outq=%d\n",
               delivered, failed, duplicates, bad, rd_kafka_err2name(last_error),
               rd_kafka_err2name(err), rd_kafka_outq_len(rk));
        rd_kafka_destroy(rk);
        for (i = 0; i < count; i++)
                if (records[i].reports != 1 && !failed) {
                        printf("message %d reported %d times\n", i, records[i].reports);
                        bad++;
                        break;
                }
        free(records);
        free(value);
        return (delivered == count && !failed && !duplicates && !bad) ? 0 : 1;
}
