/*
 * A plugin for plugin.library.paths, built as a shared library: conf_init
 * registers an on_conf_set interceptor claiming "testplugin.counter" (the
 * address of the application's counter, in hex) and an on_new interceptor
 * that adds on_send, which counts into that counter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

static rd_kafka_conf_res_t on_conf_set(rd_kafka_conf_t *conf, const char *name,
                                       const char *val, char *errstr, size_t errstr_size,
                                       void *ic_opaque);

static int *counter;

static rd_kafka_resp_err_t on_send(rd_kafka_t *rk, rd_kafka_message_t *m, void *ic_opaque) {
        (void)rk;
        (void)m;
        (void)ic_opaque;
        if (counter)
                (*counter)++;
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_new(rd_kafka_t *rk, const rd_kafka_conf_t *conf, void *ic_opaque,
                                  char *errstr, size_t errstr_size) {
        (void)conf;
        (void)ic_opaque;
        (void)errstr;
        (void)errstr_size;
        return rd_kafka_interceptor_add_on_send(rk, "testplugin", on_send, NULL);
}

static rd_kafka_conf_res_t on_conf_set(rd_kafka_conf_t *conf, const char *name,
                                       const char *val, char *errstr, size_t errstr_size,
                                       void *ic_opaque) {
        (void)conf;
        (void)ic_opaque;
        if (strcmp(name, "testplugin.counter"))
                return RD_KAFKA_CONF_UNKNOWN;
        if (!val) {
                snprintf(errstr, errstr_size, "testplugin.counter needs an address");
                return RD_KAFKA_CONF_INVALID;
        }
        counter = (int *)(uintptr_t)strtoull(val, NULL, 16);
        return RD_KAFKA_CONF_OK;
}

rd_kafka_resp_err_t conf_init(rd_kafka_conf_t *conf, void **plug_opaquep, char *errstr,
                              size_t errstr_size);

rd_kafka_resp_err_t conf_init(rd_kafka_conf_t *conf, void **plug_opaquep, char *errstr,
                              size_t errstr_size) {
        (void)plug_opaquep;
        (void)errstr;
        (void)errstr_size;
        rd_kafka_conf_interceptor_add_on_conf_set(conf, "testplugin", on_conf_set, NULL);
        rd_kafka_conf_interceptor_add_on_new(conf, "testplugin", on_new, NULL);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
