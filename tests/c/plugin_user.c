/*
 * Loads tests/c/interceptor_plugin.c's shared library through
 * plugin.library.paths, hands it a counter through the property it claims,
 * produces N messages and prints how many its on_send counted; then shows
 * what a missing plugin and a library without conf_init do.
 *
 *   plugin_user PLUGIN_PATH NOT_A_PLUGIN_PATH
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

int main(int argc, char **argv) {
        static int counter;
        char errstr[512], addr[32];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        int i;

        if (argc != 3)
                return 2;
        setvbuf(stdout, NULL, _IOLBF, 0);
        printf("library %s\n", rd_kafka_version_str());
        conf = rd_kafka_conf_new();
        printf("load %d\n", rd_kafka_conf_set(conf, "plugin.library.paths", argv[1], errstr,
                                              sizeof(errstr)));
        snprintf(addr, sizeof(addr), "%" PRIxPTR, (uintptr_t)&counter);
        printf("claimed %d\n",
               rd_kafka_conf_set(conf, "testplugin.counter", addr, errstr, sizeof(errstr)));
        rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", errstr, sizeof(errstr));
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                printf("rd_kafka_new: %s\n", errstr);
                return 1;
        }
        for (i = 0; i < 5; i++)
                rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("plugin"), RD_KAFKA_V_VALUE("v", 1),
                                  RD_KAFKA_V_END);
        rd_kafka_flush(rk, 10000);
        rd_kafka_destroy(rk);
        printf("counted %d\n", counter);

        conf = rd_kafka_conf_new();
        printf("missing %d\n", rd_kafka_conf_set(conf, "plugin.library.paths",
                                                 "/nonexistent/plugin", errstr, sizeof(errstr)));
        printf("missing_says_failed %d\n", strstr(errstr, "/nonexistent/plugin") != NULL);
        printf("no_conf_init %d\n", rd_kafka_conf_set(conf, "plugin.library.paths", argv[2],
                                                      errstr, sizeof(errstr)));
        printf("no_conf_init_says %d\n", strstr(errstr, "conf_init") != NULL);
        rd_kafka_conf_destroy(conf);
        return 0;
}
