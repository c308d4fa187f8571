/*
 * The small functions of rdkafka.h outside the big areas, run the same on
 * ferrokafka and on Debian's librdkafka:
 *
 *   misc_api write          print the serialized consumer group metadata
 *                           of two objects (with and without instance id)
 *   misc_api read HEX...    read each serialized object, write it again and
 *                           print it; then show that garbage is refused
 *   misc_api misc           thread count, default topic conf copy, queue
 *                           event callback, dump, event debug contexts and
 *                           topic partition, on the embedded mock cluster
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

static void print_hex(const char *label, const void *buf, size_t size) {
        const unsigned char *p = buf;
        size_t i;
        printf("%s ", label);
        for (i = 0; i < size; i++)
                printf("%02x", p[i]);
        printf("\n");
}

static void write_one(const char *label, rd_kafka_consumer_group_metadata_t *md) {
        void *buf = NULL;
        size_t size = 0;
        rd_kafka_error_t *error = rd_kafka_consumer_group_metadata_write(md, &buf, &size);
        if (error) {
                printf("%s error %s\n", label, rd_kafka_error_string(error));
                rd_kafka_error_destroy(error);
        } else {
                print_hex(label, buf, size);
                rd_kafka_mem_free(NULL, buf);
        }
        rd_kafka_consumer_group_metadata_destroy(md);
}

static int unhex(const char *hex, unsigned char *out, size_t max) {
        size_t n = strlen(hex) / 2, i;
        if (n > max)
                return -1;
        for (i = 0; i < n; i++) {
                unsigned v;
                if (sscanf(hex + 2 * i, "%2x", &v) != 1)
                        return -1;
                out[i] = (unsigned char)v;
        }
        return (int)n;
}

static int queue_events;

static void queue_event_cb(rd_kafka_t *rk, void *opaque) {
        (void)rk;
        (*(int *)opaque)++;
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)m;
        (void)opaque;
}

static int misc(void) {
        char errstr[256], value[64];
        size_t value_size = sizeof(value);
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_topic_conf_t *tconf;
        rd_kafka_queue_t *mainq;
        rd_kafka_event_t *ev;
        rd_kafka_t *rk;
        FILE *dump;
        char *dump_text = NULL;
        size_t dump_size = 0;

        printf("threads_before %d\n", rd_kafka_thread_cnt());
        rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", errstr, sizeof(errstr));
        rd_kafka_conf_set(conf, "acks", "1", errstr, sizeof(errstr));
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                printf("rd_kafka_new: %s\n", errstr);
                return 1;
        }
        printf("threads_while_alive %d\n", rd_kafka_thread_cnt() > 0);

        tconf = rd_kafka_default_topic_conf_dup(rk);
        printf("default_topic_conf_dup %d\n", tconf != NULL);
        if (tconf) {
                rd_kafka_topic_conf_get(tconf, "acks", value, &value_size);
                printf("default_topic_conf_acks %s\n", value);
                rd_kafka_topic_conf_destroy(tconf);
        }

        mainq = rd_kafka_queue_get_main(rk);
        rd_kafka_queue_cb_event_enable(mainq, queue_event_cb, &queue_events);
        rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("misc"), RD_KAFKA_V_VALUE("v", 1), RD_KAFKA_V_END);
        while (rd_kafka_outq_len(rk) > 0 && !queue_events)
                rd_kafka_poll(rk, 0) /* nothing else serves the queue */, (void)0;
        printf("queue_cb_event_fired %d\n", queue_events > 0);
        rd_kafka_flush(rk, 10000);

        /* A delivery report event is neither a log nor a partition error. */
        rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("misc"), RD_KAFKA_V_VALUE("v", 1), RD_KAFKA_V_END);
        ev = rd_kafka_queue_poll(mainq, 10000);
        printf("event_type %s\n", ev ? rd_kafka_event_name(ev) : "none");
        printf("debug_contexts_non_log %d\n",
               ev ? rd_kafka_event_debug_contexts(ev, errstr, sizeof(errstr)) : 99);
        printf("topic_partition_non_error %d\n", ev ? rd_kafka_event_topic_partition(ev) == NULL : 99);
        if (ev)
                rd_kafka_event_destroy(ev);
        rd_kafka_queue_cb_event_enable(mainq, NULL, NULL);
        rd_kafka_queue_destroy(mainq);

        dump = open_memstream(&dump_text, &dump_size);
        rd_kafka_dump(dump, rk);
        fclose(dump);
        printf("dump_names_handle %d\n", strstr(dump_text, "rd_kafka_t") != NULL);
        printf("dump_names_broker %d\n", strstr(dump_text, "rd_kafka_broker_t") != NULL);
        printf("dump_names_topic %d\n", strstr(dump_text, "misc") != NULL);
        free(dump_text);

        rd_kafka_destroy(rk);
        printf("threads_after %d\n", rd_kafka_thread_cnt());
        return 0;
}

int main(int argc, char **argv) {
        int i;
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc == 2 && !strcmp(argv[1], "write")) {
                write_one("with_instance", rd_kafka_consumer_group_metadata_new_with_genid(
                                               "group-a", 42, "member-1", "instance-1"));
                write_one("without_instance", rd_kafka_consumer_group_metadata_new_with_genid(
                                                  "group-b", -1, "", NULL));
                write_one("plain_new", rd_kafka_consumer_group_metadata_new("group-c"));
                return 0;
        }
        if (argc >= 2 && !strcmp(argv[1], "read")) {
                unsigned char buf[1024];
                rd_kafka_consumer_group_metadata_t *md = NULL;
                rd_kafka_error_t *error;
                for (i = 2; i < argc; i++) {
                        int n = unhex(argv[i], buf, sizeof(buf));
                        error = rd_kafka_consumer_group_metadata_read(&md, buf, (size_t)n);
                        if (error) {
                                printf("read %d error %s\n", i - 2, rd_kafka_error_name(error));
                                rd_kafka_error_destroy(error);
                                continue;
                        }
                        write_one("rewritten", md);
                }
                error = rd_kafka_consumer_group_metadata_read(&md, "garbage", 7);
                printf("garbage_refused %d\n", error != NULL);
                if (error)
                        rd_kafka_error_destroy(error);
                return 0;
        }
        if (argc == 2 && !strcmp(argv[1], "misc"))
                return misc();
        fprintf(stderr, "usage: misc_api write|read HEX...|misc\n");
        return 2;
}
