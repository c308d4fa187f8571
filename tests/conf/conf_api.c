/* Exercises the rd_kafka_conf_* / rd_kafka_topic_conf_* C API the way an
 * application does, including NULL and error paths. Prints "ok" at the end;
 * any failed check prints its line and exits non-zero.
 *
 * Built with -DREFERENCE_LIBRDKAFKA it runs against librdkafka itself, to
 * prove the expectations are librdkafka's; the NULL-argument checks are
 * left out there because librdkafka crashes on them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>

#define CHECK(cond)                                                         \
        do {                                                                \
                if (!(cond)) {                                              \
                        fprintf(stderr, "%s:%d: check failed: %s\n",        \
                                __FILE__, __LINE__, #cond);                 \
                        exit(1);                                            \
                }                                                           \
        } while (0)

static void my_dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m,
                         void *opaque) {
        (void)rk; (void)m; (void)opaque;
}

static int32_t my_partitioner(const rd_kafka_topic_t *rkt, const void *key,
                              size_t keylen, int32_t cnt, void *topic_opaque,
                              void *msg_opaque) {
        (void)rkt; (void)key; (void)keylen; (void)topic_opaque; (void)msg_opaque;
        return cnt - 1;
}

/* Returns the value of name from a dump array, or NULL. */
static const char *dump_find(const char **arr, size_t cnt, const char *name) {
        size_t i;
        for (i = 0; i + 1 < cnt; i += 2)
                if (!strcmp(arr[i], name))
                        return arr[i + 1];
        return NULL;
}

static void get_eq(const rd_kafka_conf_t *conf, const char *name,
                   const char *expected) {
        char buf[512];
        size_t size = sizeof(buf);
        rd_kafka_conf_res_t res = rd_kafka_conf_get(conf, name, buf, &size);
        if (res != RD_KAFKA_CONF_OK || strcmp(buf, expected)) {
                fprintf(stderr, "get %s: res %d value \"%s\", expected \"%s\"\n",
                        name, res, res == RD_KAFKA_CONF_OK ? buf : "",
                        expected);
                exit(1);
        }
}

int main(void) {
        char errstr[512];
        char small[4];
        size_t size, cnt;
        const char **arr;
        rd_kafka_conf_t *conf, *copy, *filtered;
        rd_kafka_topic_conf_t *tconf, *tcopy;
        FILE *fp;
        char *text;
        long len;

        conf = rd_kafka_conf_new();
        CHECK(conf);

        /* set: OK, unknown, invalid, errstr NULL */
        /* no default topic conf until something needs it */
        CHECK(rd_kafka_conf_get_default_topic_conf(conf) == NULL);
        size = sizeof(small);
        CHECK(rd_kafka_conf_get(conf, "acks", small, &size) ==
              RD_KAFKA_CONF_UNKNOWN);

        CHECK(rd_kafka_conf_set(conf, "bootstrap.servers", "127.0.0.1:9092",
                                errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK);
        errstr[0] = '\0';
        CHECK(rd_kafka_conf_set(conf, "no.such.property", "1", errstr,
                                sizeof(errstr)) == RD_KAFKA_CONF_UNKNOWN);
        CHECK(strstr(errstr, "no.such.property"));
        errstr[0] = '\0';
        CHECK(rd_kafka_conf_set(conf, "linger.ms", "abc", errstr,
                                sizeof(errstr)) == RD_KAFKA_CONF_INVALID);
        CHECK(strstr(errstr, "linger.ms") ||
              strstr(errstr, "queue.buffering.max.ms"));
        CHECK(rd_kafka_conf_set(conf, "linger.ms", "-1", NULL, 0) ==
              RD_KAFKA_CONF_INVALID);
        /* a tiny errstr is truncated and still terminated */
        memset(small, 'x', sizeof(small));
        CHECK(rd_kafka_conf_set(conf, "linger.ms", "abc", small,
                                sizeof(small)) == RD_KAFKA_CONF_INVALID);
        CHECK(small[3] == '\0' && strlen(small) == 3);
        CHECK(rd_kafka_conf_set(conf, "linger.ms", "12.5", NULL, 0) ==
              RD_KAFKA_CONF_OK);
        CHECK(rd_kafka_conf_set(conf, "dr_msg_cb", "1", errstr,
                                sizeof(errstr)) == RD_KAFKA_CONF_INVALID);
#ifndef REFERENCE_LIBRDKAFKA
        CHECK(rd_kafka_conf_set(conf, NULL, "1", errstr, sizeof(errstr)) ==
              RD_KAFKA_CONF_UNKNOWN);
#endif
        CHECK(rd_kafka_conf_set(conf, "client.id", NULL, NULL, 0) ==
              RD_KAFKA_CONF_OK);

        /* get: values, aliases, size query, truncation, unknown */
        get_eq(conf, "metadata.broker.list", "127.0.0.1:9092");
        get_eq(conf, "queue.buffering.max.ms", "12.5");
        get_eq(conf, "linger.ms", "12.5");
        get_eq(conf, "client.id", "rdkafka");
        size = 0;
        CHECK(rd_kafka_conf_get(conf, "client.id", NULL, &size) ==
              RD_KAFKA_CONF_OK);
        CHECK(size == strlen("rdkafka") + 1);
        size = sizeof(small);
        CHECK(rd_kafka_conf_get(conf, "client.id", small, &size) ==
              RD_KAFKA_CONF_OK);
        CHECK(size == strlen("rdkafka") + 1);
        CHECK(!strcmp(small, "rdk"));
        size = sizeof(small);
        CHECK(rd_kafka_conf_get(conf, "no.such.property", small, &size) ==
              RD_KAFKA_CONF_UNKNOWN);
        size = sizeof(small);
        CHECK(rd_kafka_conf_get(conf, "group.id", small, &size) ==
              RD_KAFKA_CONF_UNKNOWN);

        /* topic properties set on the global conf go to the default one */
        CHECK(rd_kafka_conf_set(conf, "acks", "all", NULL, 0) ==
              RD_KAFKA_CONF_OK);
        CHECK(rd_kafka_conf_get_default_topic_conf(conf) != NULL);
        get_eq(conf, "request.required.acks", "-1");

        /* callbacks, opaque and events */
        rd_kafka_conf_set_dr_msg_cb(conf, my_dr_msg_cb);
        rd_kafka_conf_set_opaque(conf, (void *)0x1234);
        rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_DR);
        get_eq(conf, "opaque", "0x1234");
        get_eq(conf, "enabled_events", "1");
        size = sizeof(small);
        CHECK(rd_kafka_conf_get(conf, "error_cb", small, &size) ==
              RD_KAFKA_CONF_UNKNOWN);

        /* dump */
        arr = rd_kafka_conf_dump(conf, &cnt);
        CHECK(arr && cnt > 100 && cnt % 2 == 0);
        CHECK(!strcmp(dump_find(arr, cnt, "metadata.broker.list"),
                      "127.0.0.1:9092"));
        CHECK(!strcmp(dump_find(arr, cnt, "opaque"), "0x1234"));
        CHECK(dump_find(arr, cnt, "dr_msg_cb") != NULL);
        CHECK(dump_find(arr, cnt, "bootstrap.servers") == NULL);
        CHECK(dump_find(arr, cnt, "group.id") == NULL);
        rd_kafka_conf_dump_free(arr, cnt);

        /* dup keeps values and callbacks; the copy is independent */
        copy = rd_kafka_conf_dup(conf);
        CHECK(copy);
        get_eq(copy, "queue.buffering.max.ms", "12.5");
        get_eq(copy, "opaque", "0x1234");
        get_eq(copy, "request.required.acks", "-1");
        arr = rd_kafka_conf_dump(copy, &cnt);
        CHECK(dump_find(arr, cnt, "dr_msg_cb") != NULL);
        rd_kafka_conf_dump_free(arr, cnt);
        CHECK(rd_kafka_conf_set(copy, "client.id", "other", NULL, 0) ==
              RD_KAFKA_CONF_OK);
        get_eq(conf, "client.id", "rdkafka");
        rd_kafka_conf_destroy(copy);

        /* dup_filter drops matching properties back to their defaults */
        {
                const char *filter[] = {"metadata.", "queue.buffering"};
                filtered = rd_kafka_conf_dup_filter(conf, 2, filter);
                CHECK(filtered);
                size = sizeof(small);
                CHECK(rd_kafka_conf_get(filtered, "metadata.broker.list",
                                        small, &size) ==
                      RD_KAFKA_CONF_UNKNOWN);
                get_eq(filtered, "linger.ms", "5");
                get_eq(filtered, "opaque", "0x1234");
                rd_kafka_conf_destroy(filtered);
        }

        /* topic conf */
        tconf = rd_kafka_topic_conf_new();
        CHECK(tconf);
        CHECK(rd_kafka_topic_conf_set(tconf, "auto.offset.reset", "earliest",
                                      errstr, sizeof(errstr)) ==
              RD_KAFKA_CONF_OK);
        CHECK(rd_kafka_topic_conf_set(tconf, "topic.partitioner", "murmur2",
                                      errstr, sizeof(errstr)) ==
              RD_KAFKA_CONF_OK);
        CHECK(rd_kafka_topic_conf_set(tconf, "partitioner", "bogus", errstr,
                                      sizeof(errstr)) ==
              RD_KAFKA_CONF_INVALID);
        CHECK(rd_kafka_topic_conf_set(tconf, "client.id", "x", errstr,
                                      sizeof(errstr)) ==
              RD_KAFKA_CONF_UNKNOWN);
        rd_kafka_topic_conf_set_partitioner_cb(tconf, my_partitioner);
        rd_kafka_topic_conf_set_opaque(tconf, (void *)0x99);
        size = sizeof(errstr);
        CHECK(rd_kafka_topic_conf_get(tconf, "auto.offset.reset", errstr,
                                      &size) == RD_KAFKA_CONF_OK);
        CHECK(!strcmp(errstr, "smallest"));
        tcopy = rd_kafka_topic_conf_dup(tconf);
        arr = rd_kafka_topic_conf_dump(tcopy, &cnt);
        CHECK(arr && cnt % 2 == 0);
        CHECK(!strcmp(dump_find(arr, cnt, "partitioner"), "murmur2"));
        CHECK(!strcmp(dump_find(arr, cnt, "opaque"), "0x99"));
        CHECK(dump_find(arr, cnt, "partitioner_cb") != NULL);
        rd_kafka_conf_dump_free(arr, cnt);
        rd_kafka_topic_conf_destroy(tcopy);

        /* set_default_topic_conf takes ownership */
        rd_kafka_conf_set_default_topic_conf(conf, tconf);
        get_eq(conf, "auto.offset.reset", "smallest");
        get_eq(conf, "request.required.acks", "-1");
        CHECK(rd_kafka_conf_set(conf, "partitioner", "fnv1a", NULL, 0) ==
              RD_KAFKA_CONF_OK);
        size = sizeof(errstr);
        CHECK(rd_kafka_topic_conf_get(rd_kafka_conf_get_default_topic_conf(conf),
                                      "partitioner", errstr, &size) ==
              RD_KAFKA_CONF_OK);
        CHECK(!strcmp(errstr, "fnv1a"));
#ifndef REFERENCE_LIBRDKAFKA
        /* handing back its own default topic conf is harmless (librdkafka
         * would free it first) */
        rd_kafka_conf_set_default_topic_conf(
            conf, rd_kafka_conf_get_default_topic_conf(conf));
        get_eq(conf, "partitioner", "fnv1a");
#endif

        /* unsupported SSL certificate API */
        CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_CA,
                                         RD_KAFKA_CERT_ENC_PEM, "x", 1, errstr,
                                         sizeof(errstr)) ==
              RD_KAFKA_CONF_INVALID);

        /* properties_show */
        fp = tmpfile();
        CHECK(fp);
        rd_kafka_conf_properties_show(fp);
        len = ftell(fp);
        CHECK(len > 1000);
        text = calloc(1, (size_t)len + 1);
        rewind(fp);
        CHECK(fread(text, 1, (size_t)len, fp) == (size_t)len);
        CHECK(strstr(text, "\nbootstrap.servers "));
        CHECK(strstr(text, "## Topic configuration properties"));
        free(text);
        fclose(fp);

#ifndef REFERENCE_LIBRDKAFKA
        /* NULL handles never crash (librdkafka itself does not check) */
        CHECK(rd_kafka_conf_set(NULL, "client.id", "x", errstr,
                                sizeof(errstr)) != RD_KAFKA_CONF_OK);
        size = sizeof(small);
        CHECK(rd_kafka_conf_get(NULL, "client.id", small, &size) !=
              RD_KAFKA_CONF_OK);
        CHECK(rd_kafka_conf_get(conf, "client.id", small, NULL) !=
              RD_KAFKA_CONF_OK);
        CHECK(rd_kafka_topic_conf_set(NULL, "acks", "1", NULL, 0) !=
              RD_KAFKA_CONF_OK);
        CHECK(rd_kafka_conf_dump(NULL, &cnt) == NULL);
        CHECK(rd_kafka_conf_dump(conf, NULL) == NULL);
        CHECK(rd_kafka_conf_dup(NULL) == NULL);
        CHECK(rd_kafka_topic_conf_dup(NULL) == NULL);
        CHECK(rd_kafka_conf_get_default_topic_conf(NULL) == NULL);
        rd_kafka_conf_set_dr_msg_cb(NULL, my_dr_msg_cb);
        rd_kafka_conf_set_opaque(NULL, NULL);
        rd_kafka_conf_set_default_topic_conf(NULL, rd_kafka_topic_conf_new());
        rd_kafka_conf_dump_free(NULL, 0);
        rd_kafka_conf_properties_show(NULL);
        rd_kafka_conf_destroy(NULL);
        rd_kafka_topic_conf_destroy(NULL);
#endif

        rd_kafka_conf_destroy(conf);
        printf("ok\n");
        return 0;
}
