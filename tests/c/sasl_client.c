/*
 * sasl_client: a producer exercising the SASL parts of the C API.
 *
 * usage: sasl_client BOOTSTRAP TOPIC COUNT [key=value ...]
 *
 * Produces COUNT messages ("msg-<i>") and waits for every delivery report
 * (bounded by message.timeout.ms). Extra key=value arguments are
 * configuration properties, except:
 *   @pace=MS         sleep MS milliseconds between messages (serving
 *                    callbacks meanwhile), so the run spans some time;
 *   @refresh=token   set an OAUTHBEARER token refresh callback that makes an
 *                    unsecured JWT for the principal named in
 *                    sasl.oauthbearer.config ("principal=NAME") and hands it
 *                    over with rd_kafka_oauthbearer_set_token();
 *   @refresh=fail    one that reports rd_kafka_oauthbearer_set_token_failure();
 *   @background      enable the SASL queue and serve it on librdkafka's
 *                    background thread: waits (without polling) up to 10 s
 *                    for the refresh callback, printing
 *                    "REFRESHED_WITHOUT_POLL" if it ran;
 *   @saslq           enable the SASL queue only (no background call of our
 *                    own: librdkafka's builtin OIDC refresh starts it) and
 *                    sleep 5 s without polling before producing;
 *   @dump            print rd_kafka_conf_dump() as "CONF name=value" lines.
 *
 * Prints "library <rd_kafka_version_str()>" first. Every error event is
 * printed as "ERROR <name> <reason>". Ends with
 * "delivered=N failed=F auth_errors=A other_errors=O refreshes=R
 * last_error=NAME" and exits 0 only when all COUNT were delivered.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int delivered, failed, auth_errors, other_errors;
/* Written by the background thread with @background. */
static volatile int refreshes;
static rd_kafka_resp_err_t last_error;
static int refresh_fails;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err) {
                failed++;
                last_error = m->err;
        } else {
                delivered++;
        }
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)opaque;
        printf("ERROR %s %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
        if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION)
                auth_errors++;
        else
                other_errors++;
}

static void b64url(const unsigned char *in, size_t len, char *out) {
        static const char tbl[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        size_t i;
        int o = 0;
        for (i = 0; i + 2 < len; i += 3) {
                unsigned v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
                out[o++] = tbl[(v >> 18) & 63];
                out[o++] = tbl[(v >> 12) & 63];
                out[o++] = tbl[(v >> 6) & 63];
                out[o++] = tbl[v & 63];
        }
        if (len - i == 1) {
                unsigned v = in[i] << 16;
                out[o++] = tbl[(v >> 18) & 63];
                out[o++] = tbl[(v >> 12) & 63];
        } else if (len - i == 2) {
                unsigned v = (in[i] << 16) | (in[i + 1] << 8);
                out[o++] = tbl[(v >> 18) & 63];
                out[o++] = tbl[(v >> 12) & 63];
                out[o++] = tbl[(v >> 6) & 63];
        }
        out[o] = '\0';
}

static void refresh_cb(rd_kafka_t *rk, const char *config, void *opaque) {
        char principal[128] = "nobody";
        const char *p;
        char payload[256], header[64], body[512], token[700], errstr[256];
        long long now = (long long)time(NULL);
        (void)opaque;
        refreshes++;
        if (refresh_fails) {
                rd_kafka_oauthbearer_set_token_failure(rk, "token service unavailable");
                return;
        }
        if (config && (p = strstr(config, "principal=")))
                sscanf(p + 10, "%127[^ ]", principal);
        snprintf(payload, sizeof(payload), "{\"sub\":\"%s\",\"iat\":%lld,\"exp\":%lld}",
                 principal, now, now + 3600);
        b64url((const unsigned char *)"{\"alg\":\"none\"}", 14, header);
        b64url((const unsigned char *)payload, strlen(payload), body);
        snprintf(token, sizeof(token), "%s.%s.", header, body);
        if (rd_kafka_oauthbearer_set_token(rk, token, (now + 3600) * 1000, principal, NULL, 0,
                                           errstr, sizeof(errstr))) {
                printf("SET_TOKEN_FAILED %s\n", errstr);
                rd_kafka_oauthbearer_set_token_failure(rk, errstr);
        }
}

static void sleep_ms(int ms) {
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        char errstr[512];
        int count, i, pace = 0, dump = 0, background = 0, saslq = 0;
        if (argc < 4) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC COUNT [key=value ...]\n", argv[0]);
                return 2;
        }
        count = atoi(argv[3]);
        /* Which library runs (ours answers 2.0.2-ferrokafka-...). */
        printf("library %s\n", rd_kafka_version_str());
        conf  = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        for (i = 4; i < argc; i++) {
                char *eq;
                if (!strncmp(argv[i], "@pace=", 6)) {
                        pace = atoi(argv[i] + 6);
                        continue;
                }
                if (!strcmp(argv[i], "@refresh=token") || !strcmp(argv[i], "@refresh=fail")) {
                        refresh_fails = !strcmp(argv[i], "@refresh=fail");
                        rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
                        continue;
                }
                if (!strcmp(argv[i], "@background")) {
                        background = 1;
                        rd_kafka_conf_enable_sasl_queue(conf, 1);
                        continue;
                }
                if (!strcmp(argv[i], "@saslq")) {
                        saslq = 1;
                        rd_kafka_conf_enable_sasl_queue(conf, 1);
                        continue;
                }
                if (!strcmp(argv[i], "@dump")) {
                        dump = 1;
                        continue;
                }
                eq = strchr(argv[i], '=');
                if (!eq) {
                        fprintf(stderr, "bad argument %s\n", argv[i]);
                        return 2;
                }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, argv[i], eq + 1, errstr, sizeof(errstr))) {
                        fprintf(stderr, "%s: %s\n", argv[i], errstr);
                        return 2;
                }
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        if (dump) {
                size_t n, j;
                const char **arr = rd_kafka_conf_dump(conf, &n);
                for (j = 0; j + 1 < n; j += 2)
                        printf("CONF %s=%s\n", arr[j], arr[j + 1]);
                rd_kafka_conf_dump_free(arr, n);
        }
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                printf("NEW_FAILED %s\n", errstr);
                return 3;
        }
        if (background) {
                rd_kafka_error_t *error = rd_kafka_sasl_background_callbacks_enable(rk);
                if (error) {
                        printf("BACKGROUND_FAILED %s\n", rd_kafka_error_string(error));
                        rd_kafka_error_destroy(error);
                } else {
                        for (i = 0; i < 100 && !refreshes; i++)
                                sleep_ms(100);
                        if (refreshes)
                                printf("REFRESHED_WITHOUT_POLL\n");
                }
        }
        if (saslq)
                sleep_ms(5000);
        for (i = 0; i < count; i++) {
                char value[32];
                int n = snprintf(value, sizeof(value), "msg-%d", i);
                rd_kafka_resp_err_t err;
                while ((err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(argv[2]),
                                                RD_KAFKA_V_VALUE(value, (size_t)n),
                                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        rd_kafka_poll(rk, 10);
                if (err) {
                        printf("PRODUCE_FAILED %s\n", rd_kafka_err2name(err));
                        break;
                }
                if (pace) {
                        rd_kafka_poll(rk, 0);
                        sleep_ms(pace);
                } else {
                        rd_kafka_poll(rk, 0);
                }
        }
        /* Every message ends within message.timeout.ms: delivered or failed. */
        while (delivered + failed < count && rd_kafka_outq_len(rk) > 0)
                rd_kafka_poll(rk, 100);
        rd_kafka_poll(rk, 0);
        rd_kafka_destroy(rk);
        printf("delivered=%d failed=%d auth_errors=%d other_errors=%d refreshes=%d last_error=%s\n",
               delivered, failed, auth_errors, other_errors, refreshes,
               rd_kafka_err2name(last_error));
        return delivered == count ? 0 : 1;
}
