/* Applies the operations given as arguments to a configuration and prints
 * the results in a form that can be compared between two implementations
 * of the API (ours and librdkafka):
 *   g:name=value   rd_kafka_conf_set        t:name=value  topic_conf_set
 *   G:name         rd_kafka_conf_get        T:name        topic_conf_get
 * then dumps the global and (default) topic configuration. Error strings
 * are not printed: only the result codes are meant to match. */
#include <stdio.h>
#include <string.h>
#include <librdkafka/rdkafka.h>

int main(int argc, char **argv) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
        const char **arr;
        size_t cnt, i;
        int a;

        for (a = 1; a < argc; a++) {
                char op = argv[a][0];
                char *name = argv[a] + 2;
                char buf[1024];
                size_t size = sizeof(buf);
                int res;
                if (op == 'g' || op == 't') {
                        char *eq = strchr(name, '=');
                        char *value = NULL;
                        if (eq) {
                                *eq = '\0';
                                value = eq + 1;
                        }
                        res = op == 'g' ? rd_kafka_conf_set(conf, name, value,
                                                            NULL, 0)
                                        : rd_kafka_topic_conf_set(
                                              tconf, name, value, NULL, 0);
                        printf("%c %s=%s -> %d\n", op, name,
                               value ? value : "(null)", res);
                } else {
                        res = op == 'G' ? rd_kafka_conf_get(conf, name, buf,
                                                            &size)
                                        : rd_kafka_topic_conf_get(
                                              tconf, name, buf, &size);
                        printf("%c %s -> %d %s\n", op, name, res,
                               res == 0 ? buf : "");
                }
        }
        arr = rd_kafka_conf_dump(conf, &cnt);
        for (i = 0; i < cnt; i += 2)
                printf("global %s = %s\n", arr[i], arr[i + 1]);
        rd_kafka_conf_dump_free(arr, cnt);
        printf("default topic conf %s\n",
               rd_kafka_conf_get_default_topic_conf(conf) ? "set" : "unset");
        if (rd_kafka_conf_get_default_topic_conf(conf)) {
                arr = rd_kafka_topic_conf_dump(
                    rd_kafka_conf_get_default_topic_conf(conf), &cnt);
                for (i = 0; i < cnt; i += 2)
                        printf("default %s = %s\n", arr[i], arr[i + 1]);
                rd_kafka_conf_dump_free(arr, cnt);
        }
        arr = rd_kafka_topic_conf_dump(tconf, &cnt);
        for (i = 0; i < cnt; i += 2)
                printf("topic %s = %s\n", arr[i], arr[i + 1]);
        rd_kafka_conf_dump_free(arr, cnt);
        rd_kafka_topic_conf_destroy(tconf);
        rd_kafka_conf_destroy(conf);
        return 0;
}
