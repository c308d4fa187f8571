/*
 * tls_probe: creates a producer with the given properties, produces one
 * message to TOPIC and waits up to WAIT_MS for its delivery report,
 * printing what the application saw: the error events (code and reason)
 * and the delivery result. For the TLS tests' failure cases, where the
 * point is what is reported, not the data.
 *
 * usage: tls_probe BOOTSTRAP TOPIC WAIT_MS [key=value ...]
 *
 * "@verify_cb=accept|reject|clear" installs ssl.certificate.verify_cb:
 * accept returns 1 as is, reject returns 0 with a reason, clear sets the
 * error to 0 and returns 1 (vouching for any certificate).
 * "@ca_mem=FILE" hands FILE to rd_kafka_conf_set_ssl_cert() as a PEM CA,
 * "@p12_mem=FILE" as the client's PKCS#12 certificate and key.
 *
 * Prints:
 *   features=<builtin.features>
 *   ERROR\t<name>\t<reason>          (one per error event)
 *   VERIFY\t<depth>\t<x509 error>    (one per verify_cb call)
 *   summary errors=N first_error=NAME delivered=D dr_err=NAME verify_calls=V
 * or "new_failed\t<errstr>" (exit 3) when rd_kafka_new() refuses the
 * configuration. Exit 0 otherwise.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int errors, delivered = -1, verify_calls;
static rd_kafka_resp_err_t first_error, dr_err;
static const char *verify_mode;

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)opaque;
        if (errors++ == 0)
                first_error = (rd_kafka_resp_err_t)err;
        printf("ERROR\t%s\t%s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
        fflush(stdout);
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        delivered = m->err ? 0 : 1;
        dr_err = m->err;
}

static int verify_cb(rd_kafka_t *rk, const char *broker_name, int32_t broker_id, int *x509_error,
                     int depth, const char *buf, size_t size, char *errstr, size_t errstr_size,
                     void *opaque) {
        (void)rk;
        (void)broker_id;
        (void)opaque;
        verify_calls++;
        printf("VERIFY\t%d\t%d\t%s\t%zu\t%d\n", depth, *x509_error, broker_name, size,
               size > 0 && (unsigned char)buf[0] == 0x30);
        fflush(stdout);
        if (!strcmp(verify_mode, "reject")) {
                snprintf(errstr, errstr_size, "rejected by tls_probe at depth %d", depth);
                return 0;
        }
        if (!strcmp(verify_mode, "clear"))
                *x509_error = 0;
        return 1;
}

static char *read_file(const char *path, size_t *len) {
        FILE *f = fopen(path, "rb");
        char *buf;
        long n;
        if (!f)
                return NULL;
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc((size_t)n + 1);
        *len = fread(buf, 1, (size_t)n, f);
        fclose(f);
        return buf;
}

static int set_cert(rd_kafka_conf_t *conf, rd_kafka_cert_type_t type, rd_kafka_cert_enc_t enc,
                    const char *path) {
        char errstr[512];
        size_t len = 0;
        char *buf = read_file(path, &len);
        rd_kafka_conf_res_t res;
        if (!buf) {
                fprintf(stderr, "cannot read %s\n", path);
                return -1;
        }
        res = rd_kafka_conf_set_ssl_cert(conf, type, enc, buf, len, errstr, sizeof(errstr));
        free(buf);
        if (res != RD_KAFKA_CONF_OK) {
                printf("set_ssl_cert_failed\t%s\n", errstr);
                return -1;
        }
        return 0;
}

int main(int argc, char **argv) {
        char errstr[512], features[256];
        size_t features_size = sizeof(features);
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_resp_err_t err;
        struct timespec start, now;
        int wait_ms, arg;

        if (argc < 4) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC WAIT_MS [k=v ...]\n", argv[0]);
                return 2;
        }
        wait_ms = atoi(argv[3]);
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], NULL, 0);
        for (arg = 4; arg < argc; arg++) {
                char *eq = strchr(argv[arg], '=');
                if (!eq) {
                        fprintf(stderr, "bad property %s\n", argv[arg]);
                        return 2;
                }
                *eq = '\0';
                if (!strcmp(argv[arg], "@verify_cb")) {
                        verify_mode = eq + 1;
                        if (rd_kafka_conf_set_ssl_cert_verify_cb(conf, verify_cb) != RD_KAFKA_CONF_OK) {
                                printf("verify_cb_refused\n");
                                return 2;
                        }
                        continue;
                }
                if (!strcmp(argv[arg], "@ca_mem")) {
                        if (set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, eq + 1))
                                return 3;
                        continue;
                }
                if (!strcmp(argv[arg], "@p12_mem")) {
                        if (set_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_PKCS12, eq + 1) ||
                            set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PKCS12, eq + 1))
                                return 3;
                        continue;
                }
                if (rd_kafka_conf_set(conf, argv[arg], eq + 1, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        printf("conf_failed\t%s\n", errstr);
                        return 3;
                }
        }
        rd_kafka_conf_get(conf, "builtin.features", features, &features_size);
        printf("features=%s\n", features);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                printf("new_failed\t%s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 3;
        }
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(argv[2]), RD_KAFKA_V_VALUE("probe", 5),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err) {
                printf("produce_failed\t%s\n", rd_kafka_err2name(err));
                rd_kafka_destroy(rk);
                return 3;
        }
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                long elapsed;
                rd_kafka_poll(rk, 100);
                if (delivered >= 0)
                        break;
                clock_gettime(CLOCK_MONOTONIC, &now);
                elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
                if (elapsed >= wait_ms)
                        break;
        }
        rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_poll(rk, 0);
        printf("summary errors=%d first_error=%s delivered=%d dr_err=%s verify_calls=%d\n", errors,
               rd_kafka_err2name(first_error), delivered, rd_kafka_err2name(dr_err), verify_calls);
        rd_kafka_destroy(rk);
        return 0;
}
