/*
 * hardening: uses the API the way a confused or hostile application might
 * and prints each answer, one line per case, so the test can compare them
 * with librdkafka's for the same program. Needs no broker.
 *
 * usage: hardening MODE
 *   producer-as-consumer  every group/consumer call on a producer handle
 *   consumer-args         bad arguments to a real consumer
 *   errtext               texts for codes the library does not know, kept
 *                         and printed after later lookups (run under
 *                         valgrind to catch reads of freed memory)
 *   oversize-headers      messages whose headers push them over
 *                         message.max.bytes, then a destroy with messages
 *                         still queued (prints the TERMINATE log line)
 *   lifecycles            creates, uses and destroys producers and
 *                         consumers a few times (for valgrind's leak check)
 */
#include <librdkafka/rdkafka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *NOWHERE = "127.0.0.1:1";

static void print_err(const char *name, rd_kafka_resp_err_t err) {
        printf("%s %s\n", name, rd_kafka_err2name(err));
}

static void print_error(const char *name, rd_kafka_error_t *error) {
        if (!error) {
                printf("%s NO_ERROR\n", name);
                return;
        }
        printf("%s %s\n", name, rd_kafka_err2name(rd_kafka_error_code(error)));
        rd_kafka_error_destroy(error);
}

static rd_kafka_t *make(rd_kafka_type_t type, const char *group) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", NOWHERE, NULL, 0);
        rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
        if (group)
                rd_kafka_conf_set(conf, "group.id", group, NULL, 0);
        rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(2);
        }
        return rk;
}

static rd_kafka_topic_partition_list_t *one_partition(void) {
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(l, "t", 0)->offset = 5;
        return l;
}

static int producer_as_consumer(void) {
        rd_kafka_t *rk                        = make(RD_KAFKA_PRODUCER, NULL);
        rd_kafka_topic_partition_list_t *list = one_partition();
        rd_kafka_topic_partition_list_t *out  = NULL;
        rd_kafka_message_t *msg;

        print_err("subscribe", rd_kafka_subscribe(rk, list));
        print_err("unsubscribe", rd_kafka_unsubscribe(rk));
        print_err("subscription", rd_kafka_subscription(rk, &out));
        if (out)
                rd_kafka_topic_partition_list_destroy(out);
        out = NULL;
        msg = rd_kafka_consumer_poll(rk, 10);
        if (msg) {
                printf("consumer_poll message %s\n", rd_kafka_err2name(msg->err));
                rd_kafka_message_destroy(msg);
        } else {
                printf("consumer_poll NULL\n");
        }
        print_err("assign", rd_kafka_assign(rk, list));
        print_err("assign-null", rd_kafka_assign(rk, NULL));
        print_err("assignment", rd_kafka_assignment(rk, &out));
        if (out)
                rd_kafka_topic_partition_list_destroy(out);
        out = NULL;
        print_error("incremental_assign", rd_kafka_incremental_assign(rk, list));
        print_error("incremental_unassign", rd_kafka_incremental_unassign(rk, list));
        print_err("commit", rd_kafka_commit(rk, list, 0));
        print_err("commit-null", rd_kafka_commit(rk, NULL, 0));
        print_err("committed", rd_kafka_committed(rk, list, 100));
        print_err("consumer_close", rd_kafka_consumer_close(rk));
        printf("memberid %s\n", rd_kafka_memberid(rk) ? "set" : "NULL");
        printf("group_metadata %s\n", rd_kafka_consumer_group_metadata(rk) ? "set" : "NULL");
        rd_kafka_topic_partition_list_destroy(list);
        rd_kafka_destroy(rk);
        return 0;
}

static int consumer_args(void) {
        rd_kafka_t *rk                          = make(RD_KAFKA_CONSUMER, "misuse");
        rd_kafka_topic_partition_list_t *empty  = rd_kafka_topic_partition_list_new(0);
        rd_kafka_topic_partition_list_t *blank  = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_t *good   = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(blank, "", RD_KAFKA_PARTITION_UA);
        rd_kafka_topic_partition_list_add(good, "misuse-topic", RD_KAFKA_PARTITION_UA);

        print_err("subscribe-empty", rd_kafka_subscribe(rk, empty));
        print_err("subscribe-good", rd_kafka_subscribe(rk, good));
        print_err("unsubscribe", rd_kafka_unsubscribe(rk));
        print_err("consumer_close", rd_kafka_consumer_close(rk));
        print_err("consumer_close-again", rd_kafka_consumer_close(rk));

        rd_kafka_topic_partition_list_destroy(empty);
        rd_kafka_topic_partition_list_destroy(blank);
        rd_kafka_topic_partition_list_destroy(good);
        rd_kafka_destroy(rk);
        return 0;
}

static int errtext(void) {
        /* Both texts must still be readable when the later lookups ran:
         * they are printed only at the end. */
        const char *str  = rd_kafka_err2str((rd_kafka_resp_err_t)-12345);
        const char *name = rd_kafka_err2name((rd_kafka_resp_err_t)99999);
        const char *str2, *name2;
        int i;
        printf("pair %s %s\n", rd_kafka_err2str((rd_kafka_resp_err_t)-12345),
               rd_kafka_err2name((rd_kafka_resp_err_t)99999));
        for (i = 0; i < 100; i++) {
                (void)rd_kafka_err2str((rd_kafka_resp_err_t)(100000 + i));
                (void)rd_kafka_err2name((rd_kafka_resp_err_t)(100000 + i));
        }
        str2  = rd_kafka_err2str((rd_kafka_resp_err_t)-777);
        name2 = rd_kafka_err2name((rd_kafka_resp_err_t)-777);
        printf("kept %s %s\n", str, name);
        printf("later %s %s\n", str2, name2);
        return 0;
}

/* Prints the TERMINATE warning (its text differs between libraries, so
 * only its level and whether it names the undelivered messages). */
static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        if (!strcmp(fac, "TERMINATE"))
                printf("log TERMINATE level=%d queued=%d\n", level,
                       strstr(buf, "still in queue or transit") != NULL);
}

static void produce_with_headers(rd_kafka_t *rk, const char *name, size_t value_len,
                                 size_t header_cnt, size_t header_value_len) {
        rd_kafka_headers_t *hdrs = rd_kafka_headers_new(header_cnt < 64 ? header_cnt : 64);
        char *value              = calloc(1, value_len + 1);
        char *header_value       = calloc(1, header_value_len + 1);
        rd_kafka_resp_err_t err;
        size_t i;
        memset(header_value, 'h', header_value_len);
        for (i = 0; i < header_cnt; i++)
                rd_kafka_header_add(hdrs, "n", 1, header_value, (ssize_t)header_value_len);
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("hardening"), RD_KAFKA_V_VALUE(value, value_len),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(hdrs),
                                RD_KAFKA_V_END);
        /* On success the message owns the headers; on failure we do. */
        if (err)
                rd_kafka_headers_destroy(hdrs);
        printf("%s %s\n", name, rd_kafka_err2name(err));
        free(value);
        free(header_value);
}

static int oversize_headers(void) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        rd_kafka_conf_set(conf, "bootstrap.servers", NOWHERE, NULL, 0);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 2;
        }
        /* ~4 MB of headers on a 1-byte value (message.max.bytes 1000000). */
        produce_with_headers(rk, "million-headers", 1, 1000000, 1);
        /* Key and value fit; with headers they do not. */
        produce_with_headers(rk, "value-plus-headers", 990000, 100, 200);
        produce_with_headers(rk, "small-headers", 100, 10, 10);
        produce_with_headers(rk, "small-headers-again", 100, 10, 10);
        /* Two messages are still queued (no broker): destroy warns. */
        rd_kafka_destroy(rk);
        return 0;
}

static int lifecycles(void) {
        int round;
        for (round = 0; round < 3; round++) {
                rd_kafka_t *consumer                  = make(RD_KAFKA_CONSUMER, "hardening");
                rd_kafka_t *producer                  = make(RD_KAFKA_PRODUCER, NULL);
                rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_t *committed = one_partition();
                rd_kafka_message_t *msg;
                rd_kafka_topic_partition_list_add(list, "hardening", RD_KAFKA_PARTITION_UA);
                rd_kafka_subscribe(consumer, list);
                if ((msg = rd_kafka_consumer_poll(consumer, 50)))
                        rd_kafka_message_destroy(msg);
                rd_kafka_committed(consumer, committed, 50);
                rd_kafka_consumer_close(consumer);
                rd_kafka_destroy(consumer);
                rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("hardening"), RD_KAFKA_V_VALUE("v", 1),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                rd_kafka_purge(producer, RD_KAFKA_PURGE_F_QUEUE);
                rd_kafka_poll(producer, 0);
                rd_kafka_destroy(producer);
                rd_kafka_topic_partition_list_destroy(list);
                rd_kafka_topic_partition_list_destroy(committed);
        }
        printf("lifecycles done\n");
        return 0;
}

int main(int argc, char **argv) {
        if (argc == 2 && !strcmp(argv[1], "producer-as-consumer"))
                return producer_as_consumer();
        if (argc == 2 && !strcmp(argv[1], "consumer-args"))
                return consumer_args();
        if (argc == 2 && !strcmp(argv[1], "errtext"))
                return errtext();
        if (argc == 2 && !strcmp(argv[1], "oversize-headers"))
                return oversize_headers();
        if (argc == 2 && !strcmp(argv[1], "lifecycles"))
                return lifecycles();
        fprintf(stderr, "usage: hardening producer-as-consumer|consumer-args|errtext|"
                        "oversize-headers|lifecycles\n");
        return 1;
}
